import type { BlockObjectRequest } from '@notionhq/client';
import {
  childrenOf,
  NOTION_MAX_NESTING_LEVELS,
  type NotionBlock,
  type NotionRequestBlock,
} from '../notion/notion-blocks.ts';

/** Notion's per-request limits on block children: array length, blocks counted with descendants, body size. */
const MAX_CHILDREN_PER_REQUEST = 100;
const MAX_BLOCKS_PER_REQUEST = 1000;
/** Notion refuses bodies over 500 KB; the margin leaves room for the properties of a page creation. */
const MAX_CHILDREN_BYTES = 400 * 1024;

// The client's request types are mutable; ours are readonly and checked against them in the domain's tests.
type DeepMutable<T> = T extends readonly (infer U)[]
  ? DeepMutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
    : T;
/** Blocks cut by `cutForRequest`, which keeps them within the nesting a request takes. */
export const asRequest = (blocks: readonly NotionBlock[]): BlockObjectRequest[] =>
  blocks as readonly NotionRequestBlock[] as DeepMutable<NotionRequestBlock>[] satisfies BlockObjectRequest[];

const descendantCount = (block: NotionBlock): number =>
  1 + childrenOf(block).reduce((sum, child) => sum + descendantCount(child), 0);

/** Splits blocks, in order, into requests within Notion's limits on children per request. */
export function chunkBlocks(blocks: readonly NotionBlock[]): NotionBlock[][] {
  const chunks: NotionBlock[][] = [];
  let chunk: NotionBlock[] = [];
  let blockCount = 0;
  let byteCount = 0;
  for (const block of blocks) {
    const count = descendantCount(block);
    const bytes = Buffer.byteLength(JSON.stringify(block)) + 1;
    const full =
      chunk.length === MAX_CHILDREN_PER_REQUEST ||
      blockCount + count > MAX_BLOCKS_PER_REQUEST ||
      byteCount + bytes > MAX_CHILDREN_BYTES;
    if (full && chunk.length > 0) {
      chunks.push(chunk);
      chunk = [];
      blockCount = 0;
      byteCount = 0;
    }
    chunk.push(block);
    blockCount += count;
    byteCount += bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** Block children the way a request may carry them, and the children left for later requests. */
export interface RequestBlocks {
  readonly sendable: NotionBlock[];
  /** Children of the sendable block at `path` (indices from the top), sent bare: written once it exists. */
  readonly deferred: { readonly path: readonly number[]; readonly children: readonly NotionBlock[] }[];
}

/** The block types that may have children of their own. */
export const CAN_HAVE_CHILDREN: ReadonlySet<NotionBlock['type']> = new Set([
  'paragraph',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'quote',
]);

/**
 * The block with these children instead of its own (none for a block type that cannot have any; only
 * rows for a table, which the caller never leaves without one: Notion refuses a table without rows).
 */
export function withChildren(block: NotionBlock, children: readonly NotionBlock[]): NotionBlock {
  const body = <B extends { readonly children?: readonly NotionBlock[] }>({ children: _, ...rest }: B) =>
    children.length > 0 ? { ...rest, children } : rest;
  switch (block.type) {
    case 'table':
      return {
        type: block.type,
        table: { ...block.table, children: children.filter((child) => child.type === 'table_row') },
      };
    case 'paragraph':
      return { type: block.type, paragraph: body(block.paragraph) };
    case 'bulleted_list_item':
      return { type: block.type, bulleted_list_item: body(block.bulleted_list_item) };
    case 'numbered_list_item':
      return { type: block.type, numbered_list_item: body(block.numbered_list_item) };
    case 'to_do':
      return { type: block.type, to_do: body(block.to_do) };
    case 'quote':
      return { type: block.type, quote: body(block.quote) };
    default:
      return block;
  }
}

/** How many of a block's children must go with it: a table is created with its first row or refused. */
const leadingChildCount = (block: NotionBlock) => (block.type === 'table' ? 1 : 0);

/**
 * Cuts blocks to what one request takes: children two levels below the top, at most 100 per array, no
 * table where its rows would be too deep, and a top-level block within the per-request block and byte
 * limits. A block over any of these is sent without its children (a table with its first rows), the
 * rest written under it afterwards, in order, by the same rule.
 */
export function cutForRequest(blocks: readonly NotionBlock[]): RequestBlocks {
  const deferred: RequestBlocks['deferred'] = [];
  const keep = (block: NotionBlock, level: number, path: readonly number[]): NotionBlock => {
    const children = childrenOf(block);
    if (children.length === 0) return block;
    if (block.type === 'table') {
      // Rows have no children of their own: only their count can be too much for one request.
      if (children.length > MAX_CHILDREN_PER_REQUEST)
        deferred.push({ path, children: children.slice(MAX_CHILDREN_PER_REQUEST) });
      return withChildren(block, children.slice(0, MAX_CHILDREN_PER_REQUEST));
    }
    const tooDeep =
      level > NOTION_MAX_NESTING_LEVELS ||
      (level === NOTION_MAX_NESTING_LEVELS && children.some((child) => child.type === 'table'));
    if (tooDeep || children.length > MAX_CHILDREN_PER_REQUEST) {
      deferred.push({ path, children });
      return withChildren(block, []);
    }
    return withChildren(
      block,
      children.map((child, i) => keep(child, level + 1, [...path, i])),
    );
  };
  const sendable = blocks.map((block, i) => {
    const mark = deferred.length;
    const kept = keep(block, 1, [i]);
    const fits =
      descendantCount(kept) <= MAX_BLOCKS_PER_REQUEST &&
      Buffer.byteLength(JSON.stringify(kept)) < MAX_CHILDREN_BYTES;
    if (fits) return kept;
    deferred.splice(mark);
    const children = childrenOf(block);
    const leading = leadingChildCount(block);
    deferred.push({ path: [i], children: children.slice(leading) });
    return withChildren(block, children.slice(0, leading));
  });
  return { sendable, deferred };
}
