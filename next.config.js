/** @type {import("next").NextConfig} */
const config = {
  // PGlite ships WebAssembly and data files that bundlers mangle; pg has optional native bits.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
