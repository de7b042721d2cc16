/** @type {import("next").NextConfig} */
const config = {
  // pg has optional native bits that bundlers mangle.
  serverExternalPackages: ["pg"],
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
