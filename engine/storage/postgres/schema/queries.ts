/**
 * Indexes the PostgreSQL query parts need beyond the records piece's own (schema/records.ts):
 * records by collection in insertion order — a page of a collection (RecordStore.page, ids), a
 * node's children in the order made (TreeNodes.childIds), the whole-collection scan and the
 * completeness batches read it in order and stop after their rows. SQLite gets this order from
 * its (collection, …) indexes' hidden rowid.
 */
export const queriesSchema = `
  CREATE INDEX records_collection_seq ON records (collection, seq);
`;
