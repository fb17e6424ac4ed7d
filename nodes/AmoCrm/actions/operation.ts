import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * How every operation is written. An operation file (`actions/<resource>/<operation>.operation.ts`)
 * exports its `description` (the fields it shows, with their displayOptions) and either
 *
 * - `execute(itemIndex)`: reads, sends and answers one item (gets, searches, links); or
 * - `prepare(itemIndex)` + `send(prepared)`: writes sent in batches. `prepare` reads and checks one
 *   item and throws, before anything is sent, when its input is wrong; `send` gets every item
 *   that passed and returns each one's output items or error, in the order given.
 *
 * The router (router.ts) alone runs them: item order, `pairedItem`, Continue On Fail, error items
 * and which item an error names. Operations never catch errors to turn them into output.
 */

/** One output item's json. */
export type OperationResult = IDataObject;

/** An item's outputs, or its error (shown on that item; with Continue On Fail an error item). */
export type ItemResult = OperationResult[] | Error;

/** What `prepare` returns: at least the item it was read from. */
export interface PreparedItem {
	itemIndex: number;
}

export interface ItemOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]>;
}

export interface BatchOperation<P extends PreparedItem = PreparedItem> {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): Promise<P>;
	/**
	 * Sends all prepared items (in batches where amoCRM allows). Without Continue On Fail it may
	 * throw at the first failure instead of returning it (its error names the item); later
	 * batches are then not sent.
	 */
	send(this: IExecuteFunctions, prepared: P[]): Promise<ItemResult[]>;
}

/** (Methods take their parameters bivariantly, so an operation's own prepared type fits.) */
export type Operation = ItemOperation | BatchOperation;

export function isOperation(value: unknown): value is Operation {
	if (value === null || typeof value !== 'object') return false;
	return (
		typeof (value as ItemOperation).execute === 'function' ||
		(typeof (value as BatchOperation).prepare === 'function' &&
			typeof (value as BatchOperation).send === 'function')
	);
}
