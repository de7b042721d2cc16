import { Liquid } from "liquidjs";

// Messages are the touchpoint's title and content rendered as Liquid templates
// (the language Shopify, Braze and Customer.io use) over the customer and the
// event that triggered the message: `{{ customer.first_name | default: "there" }}`.
// Rendering is bounded (template size, render time, output size), so that a
// template cannot stall the sender; an error names the line of the template.

const limits = {
  // An unknown variable renders empty, as marketers expect; an unknown filter is an error.
  strictFilters: true,
  strictVariables: false,
  renderLimit: 200,
  parseLimit: 100_000,
  memoryLimit: 10_000_000,
  cache: 500,
};
const textEngine = new Liquid(limits);
/** For the HTML part: every output escaped. */
const htmlEngine = new Liquid({ ...limits, outputEscape: "escape" });

export interface RenderCustomer {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  traits: Record<string, unknown>;
}

export interface RenderInput {
  subject: string;
  content: string;
  link: string | null;
  customer: RenderCustomer;
  /** The event that triggered the message: its name and properties. */
  event?: { name: string; properties: Record<string, unknown> } | null;
  unsubscribeUrl?: string | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  link: string | null;
}

export class TemplateError extends Error {
  name = "TemplateError";
}

/** The variables a template sees: the traits first, then the profile's own fields over them. */
export function templateScope(input: Pick<RenderInput, "customer" | "event" | "unsubscribeUrl">) {
  const { customer } = input;
  const [firstFromName, ...rest] = (customer.name ?? "").trim().split(/\s+/);
  return {
    customer: {
      first_name: firstFromName || undefined,
      last_name: rest.length > 0 ? rest.join(" ") : undefined,
      ...customer.traits,
      id: customer.id,
      name: customer.name ?? customer.traits.name,
      email: customer.email ?? customer.traits.email,
      phone: customer.phone ?? customer.traits.phone,
    },
    event: input.event
      ? { name: input.event.name, ...input.event.properties, properties: input.event.properties }
      : {},
    unsubscribe_url: input.unsubscribeUrl ?? "",
  };
}

async function renderOne(template: string, scope: object, what: string, escape: boolean) {
  try {
    return String(await (escape ? htmlEngine : textEngine).parseAndRender(template, scope));
  } catch (error) {
    throw new TemplateError(`The ${what} template cannot be rendered: ${(error as Error).message}`);
  }
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * Renders a message. The HTML part is rendered with every output escaped, so
 * that a trait can never inject markup; paragraphs come from blank lines.
 */
export async function renderMessage(input: RenderInput): Promise<RenderedMessage> {
  const scope = templateScope(input);
  const subject = (await renderOne(input.subject, scope, "subject", false)).replace(/\s+/g, " ").trim();
  const text = (await renderOne(input.content, scope, "content", false)).trim();
  const htmlBody = (await renderOne(input.content, scope, "content", true))
    .trim()
    .split(/\n\s*\n/)
    .filter((p) => p.trim() !== "")
    .map((p) => `<p>${p.trim().replace(/\n/g, "<br>")}</p>`)
    .join("\n");
  const link = input.link ? (await renderOne(input.link, scope, "link", false)).trim() : null;
  const unsubscribe = input.unsubscribeUrl
    ? `\n<p style="font-size:12px;color:#666"><a href="${escapeHtml(input.unsubscribeUrl)}">Unsubscribe</a></p>`
    : "";
  const button = link ? `\n<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : "";
  const html = `<!doctype html>\n<html><body>\n${htmlBody}${button}${unsubscribe}\n</body></html>`;
  const textParts = [text, link ?? "", input.unsubscribeUrl ? `Unsubscribe: ${input.unsubscribeUrl}` : ""];
  return { subject, text: textParts.filter(Boolean).join("\n\n"), html, link };
}
