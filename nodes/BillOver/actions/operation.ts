import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * One operation: its parameters (shown for its resource and operation) and
 * what it does for one input item. The router adds the paired item.
 */
export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/**
 * A resource's parameters: its Operation selector (what the editor lists,
 * with each action's wording), then each operation's own parameters.
 */
export function resourceDescription(
	resource: string,
	choices: INodePropertyOptions[],
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
			options: choices,
			default: defaultOperation,
		},
		...Object.values(operations).flatMap((operation) => operation.description),
	];
}
