import "server-only";
import nodemailer from "nodemailer";
import type { DeliveryMessage, SmtpSettings } from "./settings";
import { PermanentSendError } from "./send-errors";

// Email through the organisation's SMTP server. A 5xx answer is permanent
// (the address or the message is refused: retrying cannot help); a 4xx answer,
// a timeout or a dropped connection is tried again later.

export async function sendEmail(
  destination: { settings: SmtpSettings; password: string | null },
  message: DeliveryMessage,
  idempotencyKey: string,
) {
  const { settings } = destination;
  if (!message.to) throw new PermanentSendError("The customer has no email address.");
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.username ? { user: settings.username, pass: destination.password ?? "" } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: settings.fromName
        ? { name: settings.fromName, address: settings.fromAddress }
        : settings.fromAddress,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      // The same id on every attempt, so that a retried message can be recognised downstream.
      messageId: `<${idempotencyKey}@centric>`,
      headers: message.unsubscribeUrl
        ? {
            "List-Unsubscribe": `<${message.unsubscribeUrl}>`,
            // RFC 8058 one-click unsubscribe, which Gmail and Yahoo require of bulk senders.
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          }
        : {},
    });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const text = `SMTP ${settings.host}:${settings.port}: ${(error as Error).message}`;
    if (code !== undefined && code >= 500 && code < 600) throw new PermanentSendError(text);
    throw new Error(text);
  } finally {
    transport.close();
  }
}
