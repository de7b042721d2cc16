import type { PropertyFilter, TraitCondition, ValueTest } from "~/server/segments/rules";
import { todayIso } from "./defaults";
import { EditableList } from "./editable-list";
import { ChipsField, DateField, NumberField, SelectField, TextField } from "./fields";
import { testOpLabels, testOps, type TestOp } from "./labels";
import { issuesFor, subIssues, type FieldIssue } from "./paths";

// A comparison on one value (trait or event property): operator, then the
// input that operator needs. Changing the operator keeps what still fits.

type Scalar = string | number | boolean;

function firstValue(test: ValueTest): Scalar | undefined {
  if ("value" in test) return test.value;
  if ("values" in test) return test.values[0];
  return undefined;
}

export function convertTest(test: ValueTest, op: TestOp): ValueTest {
  const value = firstValue(test);
  switch (op) {
    case "equals":
    case "notEquals":
      return { op, value: value ?? "" };
    case "contains":
    case "startsWith":
      return { op, value: value === undefined ? "" : String(value) };
    case "in":
      return {
        op,
        values: "values" in test ? test.values : value === undefined || value === "" ? [] : [String(value)],
      };
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      const number = typeof value === "number" ? value : Number(value);
      return { op, value: value !== "" && Number.isFinite(number) ? number : 0 };
    }
    case "before":
    case "after":
      return {
        op,
        value: typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value) ? value : todayIso(),
      };
    case "isSet":
    case "isNotSet":
      return { op };
  }
}

type Kind = "text" | "number" | "true" | "false";

function kindOf(value: Scalar): Kind {
  if (typeof value === "boolean") return value ? "true" : "false";
  return typeof value === "number" ? "number" : "text";
}

const kindOptions = [
  { value: "text", label: "Text" },
  { value: "number", label: "Number" },
  { value: "true", label: "True" },
  { value: "false", label: "False" },
] as const;

export function TestEditor({
  test,
  onChange,
  issues,
  subject,
}: {
  test: ValueTest;
  onChange: (test: ValueTest) => void;
  /** Issues below the test (fields "op", "value", "values[0]"). */
  issues: readonly FieldIssue[];
  /** What is compared, for the labels ("Trait", "Property discount"). */
  subject: string;
}) {
  const valueIssues = issuesFor(issues, "value");
  return (
    <>
      <SelectField
        label={`${subject}: comparison`}
        value={test.op}
        options={testOps.map((op) => ({ value: op, label: testOpLabels[op] }))}
        onChange={(op) => onChange(convertTest(test, op))}
        issues={issuesFor(issues, "op").concat(issues.filter((i) => i.field === ""))}
      />
      {(test.op === "equals" || test.op === "notEquals") && (
        <>
          <SelectField
            label="Value type"
            value={kindOf(test.value)}
            options={kindOptions}
            onChange={(kind) => {
              const old = test.value;
              const value =
                kind === "true"
                  ? true
                  : kind === "false"
                    ? false
                    : kind === "number"
                      ? typeof old === "number"
                        ? old
                        : Number.isFinite(Number(old)) && old !== "" && typeof old !== "boolean"
                          ? Number(old)
                          : 0
                      : typeof old === "boolean"
                        ? ""
                        : String(old);
              onChange({ op: test.op, value });
            }}
          />
          {typeof test.value === "string" && (
            <TextField
              label="Value"
              value={test.value}
              onChange={(value) => onChange({ op: test.op, value })}
              issues={valueIssues}
            />
          )}
          {typeof test.value === "number" && (
            <NumberField
              label="Value"
              value={test.value}
              onChange={(value) => value !== undefined && onChange({ op: test.op, value })}
              issues={valueIssues}
            />
          )}
        </>
      )}
      {(test.op === "contains" || test.op === "startsWith") && (
        <TextField
          label="Text"
          value={test.value}
          onChange={(value) => onChange({ op: test.op, value })}
          issues={valueIssues}
        />
      )}
      {test.op === "in" && (
        <ChipsField
          label="Values"
          values={test.values}
          onChange={(values) => onChange({ op: "in", values })}
          issues={issuesFor(issues, "values")}
        />
      )}
      {(test.op === "gt" || test.op === "gte" || test.op === "lt" || test.op === "lte") && (
        <NumberField
          label="Number"
          value={test.value}
          onChange={(value) => value !== undefined && onChange({ op: test.op, value })}
          issues={valueIssues}
        />
      )}
      {(test.op === "before" || test.op === "after") && (
        <DateField
          label="Date"
          value={test.value}
          onChange={(value) => value && onChange({ op: test.op, value })}
          issues={valueIssues}
        />
      )}
    </>
  );
}

const builtInFields = [
  { value: "name", label: "Name" },
  { value: "email", label: "Email" },
  { value: "phone", label: "Phone" },
  { value: "custom", label: "Custom trait…" },
] as const;

export function TraitEditor({
  rule,
  onChange,
  issues,
}: {
  rule: TraitCondition;
  onChange: (rule: TraitCondition) => void;
  issues: readonly FieldIssue[];
}) {
  const custom = !(rule.field === "name" || rule.field === "email" || rule.field === "phone");
  const fieldIssues = issuesFor(issues, "field");
  return (
    <>
      <SelectField
        label="Field"
        value={custom ? "custom" : (rule.field as "name" | "email" | "phone")}
        options={builtInFields}
        onChange={(field) => onChange({ ...rule, field: field === "custom" ? "traits." : field })}
        issues={custom ? [] : fieldIssues}
      />
      {custom && (
        <TextField
          label="Trait key"
          placeholder="e.g. city"
          value={rule.field.startsWith("traits.") ? rule.field.slice(7) : rule.field}
          onChange={(key) => onChange({ ...rule, field: `traits.${key}` })}
          issues={fieldIssues}
          width="w-36"
        />
      )}
      <TestEditor
        subject="Trait"
        test={rule.test}
        onChange={(test) => onChange({ ...rule, test })}
        issues={subIssues(issues, "test")}
      />
    </>
  );
}

const MAX_PROPERTY_FILTERS = 10;

/** Conditions on the event's properties (e.g. discount ≥ 0.3). */
export function PropertyFilters({
  filters,
  onChange,
  issues,
}: {
  filters: readonly PropertyFilter[] | undefined;
  onChange: (filters: PropertyFilter[] | undefined) => void;
  issues: readonly FieldIssue[];
}) {
  const list = filters ?? [];
  const update = (index: number, filter: PropertyFilter) =>
    onChange(list.map((f, i) => (i === index ? filter : f)));
  return (
    <EditableList
      items={list}
      onChange={(next) => onChange(next.length ? next : undefined)}
      noun="property filter"
      max={MAX_PROPERTY_FILTERS}
      newItem={(): PropertyFilter => ({ property: "", test: { op: "equals", value: "" } })}
    >
      {(filter, index) => {
        const own = subIssues(issues, `[${index}]`);
        return (
          <>
            <TextField
              label="Property"
              placeholder="e.g. discount"
              value={filter.property}
              width="w-32"
              onChange={(property) => update(index, { ...filter, property })}
              issues={issuesFor(own, "property")}
            />
            <TestEditor
              subject={`Property ${filter.property || index + 1}`}
              test={filter.test}
              onChange={(test) => update(index, { ...filter, test })}
              issues={subIssues(own, "test")}
            />
          </>
        );
      }}
    </EditableList>
  );
}
