import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * One operation: its parameters (shown for its resource and operation) and
 * what it does for one input item. The router adds the paired item.
 */
export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/** One choice of a resource's Operation selector, and what an AI agent is told of it when the node is its tool. */
export interface OperationChoice extends INodePropertyOptions {
	value: string;
	/**
	 * The tool's description (n8n's own would be "<action> in BillOver"): what
	 * the operation needs, what it does and what it returns.
	 */
	tool: string;
}

/**
 * A resource's parameters: its Operation selector (what the editor lists,
 * with each action's wording), then each operation's own parameters, and
 * for the node as an AI agent's tool (`@tool`) each operation's tool
 * description, which the user may edit. n8n then adds none of its own.
 */
export function resourceDescription(
	resource: string,
	choices: OperationChoice[],
	defaultOperation: string,
	operations: Record<string, OperationModule>,
): INodeProperties[] {
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: choices.map(({ name, value, action, description }) => ({ name, value, action, description })),
			default: defaultOperation,
		},
		...choices.map((choice) => toolDescription(resource, choice)),
		...Object.values(operations).flatMap((operation) => operation.description),
	];
}

/** The Tool Description of one operation, shown only when the node is an AI agent's tool. */
function toolDescription(resource: string, choice: OperationChoice): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		displayOptions: { show: { resource: [resource], operation: [choice.value], '@tool': [true] } },
		description: 'What the AI agent is told this tool does, needs and returns; a specific description makes the model use it better',
	};
	// Each operation's own text (set here, not in the literal above, where it would be one text for all).
	property.default = choice.tool;
	return property;
}
