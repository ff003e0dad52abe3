/** The ways a run of text can be styled. */
export const DOC_MARKS = ['bold', 'italic', 'strikethrough', 'underline', 'code'] as const;
export type DocMark = (typeof DOC_MARKS)[number];

/** The marks a run carries; only the marks that are set are present. */
export type DocMarks = { readonly [Mark in DocMark]?: true };

/** A run of text in one style: its marks, and the address it links to (null when it links nowhere). */
export interface DocRun {
  readonly text: string;
  readonly url: string | null;
  readonly marks?: DocMarks;
}

type Text = { readonly runs: readonly DocRun[] };
type Nesting = Text & { readonly children?: readonly DocBlock[] };

/** A row of a table: one list of runs per cell. */
export interface DocTableRow {
  readonly cells: readonly (readonly DocRun[])[];
}

/**
 * A block of a document the domain writes (the postmortem): text blocks, some with nested blocks, a
 * divider and a table. Writers translate it to their format (Notion blocks, Markdown).
 */
export type DocBlock =
  | ({ readonly kind: 'paragraph' } & Nesting)
  | ({ readonly kind: 'heading'; readonly level: 1 | 2 | 3 } & Text)
  | ({ readonly kind: 'bullet' } & Nesting)
  | ({ readonly kind: 'numbered' } & Nesting)
  | ({ readonly kind: 'todo'; readonly checked: boolean } & Nesting)
  | ({ readonly kind: 'quote' } & Nesting)
  | ({ readonly kind: 'code'; readonly language: string } & Text)
  | { readonly kind: 'divider' }
  | {
      readonly kind: 'table';
      readonly width: number;
      readonly hasColumnHeader: boolean;
      readonly hasRowHeader: boolean;
      readonly rows: readonly DocTableRow[];
    };
