import { describe, expect, it } from "vitest";
import { renderMessage, TemplateError } from "./render";

const customer = {
  id: "c1",
  name: "Ada Lovelace",
  email: "ada@example.com",
  phone: null,
  traits: { plan: "gold", city: "<b>London</b>" },
};

describe("renderMessage", () => {
  it("fills the customer's traits and profile fields, with defaults for missing ones", async () => {
    const m = await renderMessage({
      subject: "Hi {{ customer.first_name }}",
      content: "Your {{ customer.plan }} plan.\n\nHello {{ customer.nickname | default: 'there' }}",
      link: null,
      customer,
    });
    expect(m.subject).toBe("Hi Ada");
    expect(m.text).toBe("Your gold plan.\n\nHello there");
    expect(m.html).toContain("<p>Your gold plan.</p>\n<p>Hello there</p>");
  });

  it("escapes traits in the HTML part but not in the text part", async () => {
    const m = await renderMessage({
      subject: "x",
      content: "From {{ customer.city }}",
      link: null,
      customer,
    });
    expect(m.html).toContain("From &lt;b&gt;London&lt;/b&gt;");
    expect(m.text).toBe("From <b>London</b>");
  });

  it("reads the triggering event's properties", async () => {
    const m = await renderMessage({
      subject: "Order {{ event.order_id }}",
      content: "{{ event.name }}: {{ event.properties.total }}",
      link: "https://shop.example/orders/{{ event.order_id }}",
      customer,
      event: { name: "Order Completed", properties: { order_id: "A-1", total: 42.5 } },
    });
    expect(m.subject).toBe("Order A-1");
    expect(m.text).toContain("Order Completed: 42.5");
    expect(m.link).toBe("https://shop.example/orders/A-1");
  });

  it("adds the unsubscribe link to both parts", async () => {
    const m = await renderMessage({
      subject: "x",
      content: "y",
      link: null,
      customer,
      unsubscribeUrl: "https://app.example/u/abc",
    });
    expect(m.text).toContain("Unsubscribe: https://app.example/u/abc");
    expect(m.html).toContain('<a href="https://app.example/u/abc">Unsubscribe</a>');
  });

  it("says which template is wrong for an unknown filter or a broken tag", async () => {
    await expect(
      renderMessage({ subject: "{{ customer.name | shout }}", content: "", link: null, customer }),
    ).rejects.toThrow(TemplateError);
    await expect(
      renderMessage({ subject: "ok", content: "{% if customer.plan %}gold", link: null, customer }),
    ).rejects.toThrow(/content template/);
  });

  it("stops a template that loops too long", async () => {
    await expect(
      renderMessage({
        subject: "x",
        content: "{% for i in (1..100000000) %}{{ i }}{% endfor %}",
        link: null,
        customer,
      }),
    ).rejects.toThrow(TemplateError);
  });
});
