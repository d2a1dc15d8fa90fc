import type { IDataObject } from 'n8n-workflow';

import type { BillOverContext } from '../transport';
import { apiRequest } from '../transport';

/** GET /v1/invoices/{uid}: the detail (items, file URL, history, …); a 404 names the invoice. */
export async function fetchInvoice(ctx: BillOverContext, uid: string, itemIndex?: number): Promise<IDataObject> {
	const { body } = await apiRequest.call(ctx, {
		method: 'GET',
		path: `/v1/invoices/${uid}`,
		kind: 'read',
		subject: { invoiceUid: uid },
		itemIndex,
	});
	return body as IDataObject;
}
