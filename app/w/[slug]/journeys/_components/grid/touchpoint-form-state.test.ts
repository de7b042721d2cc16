import { describe, expect, it } from "vitest";
import { blankTouchpoint, toForm, touchpointFormSchema } from "./touchpoint-form-state";

describe("touchpointFormSchema", () => {
  it("makes the form's fields into the touchpoint they came from", () => {
    const touchpoint = {
      ...blankTouchpoint("email"),
      title: "Welcome",
      delayHours: 50,
      sendWindow: { startHour: 9, endHour: 18 },
      frequencyCap: { max: 2, perDays: 7 },
    };
    expect(touchpointFormSchema.parse(toForm(touchpoint))).toEqual(touchpoint);
  });

  it("keeps a best-channel order and the best hour, and leaves them out when off", () => {
    const touchpoint = {
      ...blankTouchpoint("mobile"),
      title: "Back in stock",
      bestChannel: { fallback: ["email" as const, "web" as const] },
      sendAtBestHour: true,
    };
    const form = toForm(touchpoint);
    expect(form.fallbackChannels).toEqual(["email", "web", ""]);
    expect(touchpointFormSchema.parse(form)).toEqual(touchpoint);
    const off = touchpointFormSchema.parse({ ...form, bestChannel: false, sendAtBestHour: false });
    expect(off).not.toHaveProperty("bestChannel");
    expect(off).not.toHaveProperty("sendAtBestHour");
    const twice = touchpointFormSchema.safeParse({ ...form, fallbackChannels: ["email", "email", ""] });
    expect(twice.error?.issues.map((issue) => issue.path.join("."))).toContain("bestChannel.fallback");
  });

  it("names the touchpoint's field that the design refuses", () => {
    const result = touchpointFormSchema.safeParse({ ...toForm(blankTouchpoint("web")), delayHours: "30" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain("delayHours");
  });
});
