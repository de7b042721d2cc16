// Where the embedded database listens. Its own module so that the app's
// database client (db/index.ts) does not pull in the worker-thread launcher.

/** node-postgres connects to `<socketDir>/.s.PGSQL.<port>`; the number only names the socket file. */
export const EMBEDDED_PORT = 5432;
