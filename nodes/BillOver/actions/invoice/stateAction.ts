/**
 * Approve, Reject and Remove Approval: one POST each, same shape
 * (CONTRACT.md, State and permissions). The answer is
 * `{ uid, approvement_status, permissions }`.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { readInvoiceUid } from '../../helpers/invoiceId';
import type { PermissionName } from '../../transport';
import { apiRequest } from '../../transport';
import { invoiceLocator } from '../common.descriptions';
import type { OperationModule } from '../operation';

export interface StateAction {
	/** The operation's value in the selector. */
	value: string;
	/** The last path segment: `approve`, `reject`, `remove-approval`. */
	path: string;
	/** The approvement_status the action leads to. */
	targetStatus: 'approved' | 'rejected' | 'waiting';
	permission: PermissionName;
	/** For a 403: "BillOver does not allow you to <action> …". */
	action: string;
}

export function stateActionOperation({ value, path, targetStatus, permission, action }: StateAction): OperationModule {
	return {
		description: updateDisplayOptions({ show: { resource: ['invoice'], operation: [value] } }, [invoiceLocator]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			const uid = readInvoiceUid(this, itemIndex);
			const { body } = await apiRequest.call(this, {
				method: 'POST',
				path: `/v1/invoices/${uid}/${path}`,
				kind: 'stateAction',
				targetStatus,
				subject: { invoiceUid: uid, permission, action },
				itemIndex,
			});
			return [{ json: body as IDataObject }];
		},
	};
}
