/**
 * Refusing bad input before any request: a zod schema parses the node's
 * parameters, and the first problems become one NodeOperationError that
 * names the field (as the user sees it) and the item. `labels['']` names
 * what a whole-object rule is about (e.g. "Update Fields" for "add at least
 * one field").
 */
import type { INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { z } from 'zod';

/**
 * `itemIndex` is undefined for parameters that do not depend on an item
 * (a trigger's): the message then names no item.
 */
/** The field labels a user sees, from the parameters themselves: `{ name: displayName }`. */
export function labelsOf(properties: readonly INodeProperties[]): Record<string, string> {
	return Object.fromEntries(properties.map((property) => [property.name, property.displayName]));
}

export function parseInput<S extends z.ZodTypeAny>(
	ctx: { getNode(): INode },
	schema: S,
	value: unknown,
	itemIndex: number | undefined,
	labels: Record<string, string> = {},
): z.output<S> {
	const result = schema.safeParse(value);
	if (result.success) return result.data as z.output<S>;
	const problems = result.error.issues.slice(0, 5).map((issue) => describeIssue(issue, labels));
	const where = itemIndex === undefined ? '' : ` in item ${itemIndex}`;
	throw new NodeOperationError(ctx.getNode(), `Invalid input${where}: ${problems.join('; ')}`, {
		itemIndex,
		description: 'Nothing was sent to BillOver. Correct the field(s) named above.',
	});
}

function describeIssue(issue: z.ZodIssue, labels: Record<string, string>): string {
	const [key, ...rest] = issue.path;
	let field = labels[''] !== undefined && key === undefined ? `"${labels['']}" ` : '';
	if (key !== undefined) {
		const label = labels[String(key)] ?? String(key);
		field = `"${label}"${rest.length ? ` (entry ${rest.map((part) => Number(part) + 1 || part).join('.')})` : ''} `;
	}
	return `${field}${issueMessage(issue)}`.trim();
}

function issueMessage(issue: z.ZodIssue): string {
	switch (issue.code) {
		case 'invalid_enum_value':
			return `must be one of ${issue.options.map((option) => `"${String(option)}"`).join(', ')}, got "${String(issue.received)}"`;
		case 'unrecognized_keys':
			return `has unknown field(s) ${issue.keys.map((field) => `"${field}"`).join(', ')}`;
		case 'invalid_type':
			return issue.received === 'undefined' ? 'is required' : issue.message;
		default:
			return issue.message;
	}
}
