import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "~/db";
import { env } from "~/server/env";
import { CLIENT_ADDRESS_HEADER } from "~/server/http/client-address";
import { signInWithPassword } from "./sign-in";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string };
  }
}

/** The address the launcher vouched for (server/http/client-address.ts); absent when Centric runs without it. */
function clientAddressOf(headers: Record<string, unknown> | undefined) {
  const address = headers?.[CLIENT_ADDRESS_HEADER];
  return typeof address === "string" && address ? address : undefined;
}

// Built on first use, not at import: `next build` loads this module without
// the runtime secrets.
let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
        },
        async authorize(credentials, req) {
          if (!credentials?.email || !credentials.password) return null;
          // A SignInError's message reaches the sign-in form as the error text.
          const user = await signInWithPassword(getDb(), {
            email: credentials.email,
            password: credentials.password,
            address: clientAddressOf(req.headers),
          });
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) {
          session.user = { id: token.sub, email: token.email ?? "", name: token.name ?? "" };
        }
        return session;
      },
    },
  };
  return options;
}
