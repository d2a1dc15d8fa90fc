/**
 * Approve, Reject and Remove Approval: one POST each, same shape
 * (shared/endpoints.ts, setApproval). The answer is
 * `{ uid, approvement_status, permissions }`.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ApprovalAction } from '../../shared/endpoints';
import { setApproval } from '../../shared/endpoints';
import { invoiceLocator } from '../../shared/descriptions';
import { readInvoiceUid } from '../../shared/parameters';
import type { OperationModule } from '../operation';

/** The operation whose value is `action` (approve, reject, removeApproval). */
export function stateActionOperation(action: ApprovalAction): OperationModule {
	return {
		description: updateDisplayOptions({ show: { resource: ['invoice'], operation: [action] } }, [invoiceLocator]),
		async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
			return [{ json: await setApproval(this, readInvoiceUid(this, itemIndex), action, itemIndex) }];
		},
	};
}
