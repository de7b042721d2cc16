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

  it("names the touchpoint's field that the design refuses", () => {
    const result = touchpointFormSchema.safeParse({ ...toForm(blankTouchpoint("web")), delayHours: "30" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toContain("delayHours");
  });
});
