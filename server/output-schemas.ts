import { z } from "zod";
import { channels, rfmGroups, roles } from "~/db/enums";

// What procedures return, declared with .output(): tRPC strips what a schema does
// not name, so a column added to a query reaches no one until a schema says so.
// The schemas are tied to the functions whose results they describe, so the two
// cannot drift apart unnoticed.

/**
 * T written out as plain objects (intersections, Picks and Omits resolved, readonly
 * dropped, and the `key?: undefined` TypeScript adds to the members of a union of
 * object literals left out), so that equal shapes compare equal.
 */
type Plain<T> = T extends Date
  ? T
  : T extends unknown[]
    ? Plain<T[number]>[]
    : T extends readonly unknown[]
      ? readonly Plain<T[number]>[]
      : T extends object
        ? { -readonly [K in keyof T as [T[K]] extends [undefined] ? never : K]: Plain<T[K]> }
        : T;

/** A and B are the same shape: the same keys, each as optional and of the same type. */
type Same<A, B> =
  (<G>() => G extends Plain<A> ? 1 : 2) extends <G>() => G extends Plain<B> ? 1 : 2 ? true : false;

/** What an async function resolves to. */
export type Resolved<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;

/**
 * `describes<T>()(schema)` is `schema`, provided it parses to exactly T: tsc fails
 * (naming both types) when a field is in one and not the other, e.g. a column
 * picked by a query and missing from the schema.
 */
export function describes<T>() {
  return <S extends z.ZodType>(
    schema: S &
      (Same<z.output<S>, T> extends true ? unknown : { schemaParsesTo: z.output<S>; butTheValueIs: T }),
  ): S => schema;
}

/** An instant: superjson carries Date values as dates. */
export const ZInstant = z.date();

export const ZRole = z.enum(roles);
export const ZChannel = z.enum(channels);
export const ZRfmGroup = z.enum(rfmGroups);

/** Free-form JSON a sender or a handler chose: event properties, traits, context, audit details. */
export const ZFreeForm = z.record(z.string(), z.unknown());

/** A person named beside something they own, wrote or did. */
export const ZPersonRef = z.object({ id: z.string(), name: z.string(), email: z.string() });

/** Something named by its id, e.g. a segment a journey belongs to. */
export const ZNamedRef = z.object({ id: z.string(), name: z.string() });

/** What a mutation answers when it only needs to say which row it changed. */
export const ZIdResult = z.object({ id: z.string() });

/** What a mutation that queued work answers: the job to watch. */
export const ZJobResult = z.object({ jobId: z.string() });

/** A key that is always there but may hold undefined (where .optional() would make the key optional), e.g. the cursor after a last page. */
export const orUndefined = <S extends z.ZodType>(schema: S) => z.union([schema, z.undefined()]);
