import { Alert } from "~/app/_components/ui";

/** Every problem that kept the model from being saved, by path; the first twelve. */
export function ModelIssueList({ issueList }: { issueList: [string, string][] }) {
  return (
    <Alert>
      <p>
        The model was not saved: {issueList.length === 1 ? "one problem" : `${issueList.length} problems`}.
      </p>
      <ul className="mt-1 list-disc pl-5">
        {issueList.slice(0, 12).map(([path, message]) => (
          <li key={path}>
            <code className="text-xs">{path || "model"}</code>: {message}
          </li>
        ))}
      </ul>
    </Alert>
  );
}
