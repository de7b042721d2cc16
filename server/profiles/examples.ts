// Examples of reading a profile, shown in Settings → API keys and in
// docs/profiles-api.md. Pure: safe in the browser.

export const READ_KEY_PLACEHOLDER = "YOUR_READ_KEY";

/** A profile read with curl: the key as a bearer token. */
export function curlProfileCommand(origin: string, readKey: string, userId = "ana-1") {
  return `curl -H 'Authorization: Bearer ${readKey}' ${origin}/v1/profiles/${encodeURIComponent(userId)}`;
}

/** What a page of the organisation's site runs to adapt to the visitor: by userId once signed in, else the anonymousId. */
export function profileFetchSnippet(origin: string, readKey: string) {
  return `// With analytics.js on the page: the userId once signed in, else its anonymousId.
analytics.ready(async () => {
  const user = analytics.user();
  const path = user.id()
    ? encodeURIComponent(user.id())
    : \`\${encodeURIComponent(user.anonymousId())}?type=anonymous\`;
  const response = await fetch("${origin}/v1/profiles/" + path, {
    headers: { Authorization: "Bearer ${readKey}" },
  });
  if (!response.ok) return; // 404: not known yet; show the default content.
  const profile = await response.json();
  if (profile.segments.some((segment) => segment.name === "VIP")) showVipOffer();
  if (profile.value?.tier === "at risk") showWinBackBanner();
});`;
}
