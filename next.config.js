/** @type {import("next").NextConfig} */
const config = {
  // pg has optional native bits that bundlers mangle.
  serverExternalPackages: ["pg"],
  poweredByHeader: false,
  // A broken test must not stop `npm start`; `npm test` type-checks everything.
  typescript: { tsconfigPath: "tsconfig.build.json" },
  // Segment's own paths, so that client libraries need only Centric's host, and its CDN's
  // paths for analytics.js, so that the snippet loads it and its settings from Centric; and
  // the profile API beside them (docs/profiles-api.md).
  async rewrites() {
    return [
      { source: "/v1/:type", destination: "/api/v1/:type" },
      { source: "/v1/profiles/:id", destination: "/api/v1/profiles/:id" },
      { source: "/v1/projects/:writeKey/settings", destination: "/api/v1/projects/:writeKey/settings" },
      { source: "/analytics.js/v1/:writeKey/analytics.min.js", destination: "/api/analytics-next/standalone.js" },
      { source: "/analytics-next/bundles/:file", destination: "/api/analytics-next/:file" },
    ];
  },
  typedRoutes: false,
};

export default config;
