/** @type {import("next").NextConfig} */
const config = {
  // PGlite ships WebAssembly and data files that bundlers mangle; pg has optional native bits.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg"],
  poweredByHeader: false,
  // A broken test must not stop `npm start`; `npm test` type-checks everything.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Segment's own paths, so that client libraries need only Centric's host.
  async rewrites() {
    return [{ source: "/v1/:type", destination: "/api/v1/:type" }];
  },
  typedRoutes: false,
};

export default config;
