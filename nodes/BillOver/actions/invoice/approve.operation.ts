import { stateActionOperation } from './stateAction';

/** POST /v1/invoices/{uid}/approve: waiting or rejected → approved. */
export const { description, execute } = stateActionOperation('approve');
