/**
 * What an error answer means for BillOver's resources: which invoice or item
 * a 404 is about, which permission a 403 lacks and what to do about it
 * (docs/API.md, State and permissions). The transport's generic wording
 * covers every other status.
 */
import type { ErrorDescription } from '../transport';
import type { PermissionName } from './model';

/** What a request is about, so a 403 / 404 can name it. */
export interface Subject {
	invoiceUid?: string;
	itemUid?: string;
	/** The permission the action needs, named in a 403. */
	permission?: PermissionName;
	/** The action as a verb phrase whose object is the invoice: "update", "add items to". */
	action?: string;
}

const PERMISSION_HINTS: Record<PermissionName, string> = {
	can_update: 'Approved invoices cannot be updated, and their items cannot be changed; remove the approval first.',
	can_delete: 'Approved invoices cannot be deleted; remove the approval first.',
	can_approve: 'Only invoices that are waiting or rejected can be approved; this one is probably approved already.',
	can_reject: 'Only invoices that are waiting for a decision can be rejected.',
	can_remove_approval: 'Only approved invoices can have their approval removed.',
};

/** A request's `describeError`: 403 and 404 in terms of the invoice (or item) and the permission. */
export function describeFor(subject: Subject): (status: number) => ErrorDescription | undefined {
	return (status) => {
		if (status === 403 && subject.permission) {
			return {
				message: `BillOver does not allow you to ${subject.action ?? 'change'} invoice ${subject.invoiceUid ?? ''} (permission ${subject.permission} is false)`.replace('  ', ' '),
				description: PERMISSION_HINTS[subject.permission],
			};
		}
		if (status === 404 && subject.invoiceUid) {
			return {
				message: `BillOver could not find ${subject.itemUid ? `item ${subject.itemUid} of ` : ''}invoice ${subject.invoiceUid} (404)`,
				description: 'Check the ID: the invoice or item may have been deleted, or belong to another BillOver workspace.',
			};
		}
		return undefined;
	};
}
