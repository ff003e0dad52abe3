import * as z from 'zod/mini';

// What the Notion adapters read of Notion's answers: only the fields they use, so a field Notion adds or
// a block type it invents does not fail a read. Parse with `parseNotionAnswer` (notion-call.ts).

const AnnotationsAnswer = z.object({
  bold: z.optional(z.boolean()),
  italic: z.optional(z.boolean()),
  strikethrough: z.optional(z.boolean()),
  underline: z.optional(z.boolean()),
  code: z.optional(z.boolean()),
  color: z.optional(z.string()),
});
const DateAnswer = z.object({
  start: z.string(),
  end: z.optional(z.nullable(z.string())),
  time_zone: z.optional(z.nullable(z.string())),
});
const IdAnswer = z.object({ id: z.string() });
// Mentions of other kinds (link previews, template mentions…) keep their text; their details are not read.
const MentionAnswer = z.object({
  type: z.string(),
  user: z.optional(IdAnswer),
  date: z.optional(DateAnswer),
  page: z.optional(IdAnswer),
  database: z.optional(IdAnswer),
  custom_emoji: z.optional(IdAnswer),
});

/** One rich-text item of a block or property as Notion answers it. */
export const RichTextAnswer = z.object({
  type: z.string(),
  plain_text: z.string(),
  href: z.optional(z.nullable(z.string())),
  annotations: z.optional(AnnotationsAnswer),
  text: z.optional(
    z.object({ content: z.string(), link: z.optional(z.nullable(z.object({ url: z.string() }))) }),
  ),
  mention: z.optional(MentionAnswer),
  equation: z.optional(z.object({ expression: z.string() })),
});
/** One rich-text item as Notion answers it. */
export type RichTextAnswer = z.infer<typeof RichTextAnswer>;

/** A block as listed or retrieved: its content is under the key named by `type`, parsed by who reads it. */
export const BlockAnswer = z.looseObject({
  id: z.string(),
  type: z.string(),
  has_children: z.boolean(),
  in_trash: z.optional(z.boolean()),
});
/** A block as listed or retrieved. */
export type BlockAnswer = z.infer<typeof BlockAnswer>;

/** One page of a block's or page's children. */
export const ChildrenAnswer = z.object({
  results: z.array(BlockAnswer),
  has_more: z.boolean(),
  next_cursor: z.nullable(z.string()),
});

/** The content of a heading block. */
export const HeadingAnswer = z.object({ rich_text: z.array(RichTextAnswer) });
/** The content of a to-do block. */
export const ToDoAnswer = z.object({ rich_text: z.array(RichTextAnswer), checked: z.boolean() });
/** The content of a to-do block. */
export type ToDoAnswer = z.infer<typeof ToDoAnswer>;

// Fields that only some block types have, in shapes that vary: read when they are what we expect.
const optionalUrl = z.catch(z.optional(z.object({ url: z.string() })), undefined);
/** The content of a block of any type, as a template page is read: the fields its conversion uses. */
export const BlockContentAnswer = z.object({
  rich_text: z.optional(z.array(RichTextAnswer)),
  cells: z.optional(z.array(z.array(RichTextAnswer))),
  checked: z.optional(z.boolean()),
  language: z.optional(z.string()),
  caption: z.catch(z.optional(z.array(RichTextAnswer)), undefined),
  title: z.catch(z.optional(z.string()), undefined),
  expression: z.catch(z.optional(z.string()), undefined),
  url: z.catch(z.optional(z.string()), undefined),
  external: optionalUrl,
  file: optionalUrl,
});
/** The content of a block of any type, as a template page is read. */
export type BlockContentAnswer = z.infer<typeof BlockContentAnswer>;

/** A database, for the data source its pages are created in. */
export const DatabaseAnswer = z.object({
  data_sources: z.array(z.object({ id: z.string() })).check(z.minLength(1)),
});

/** A page created or found: its id and address. */
export const PageAnswer = z.object({ id: z.string(), url: z.string() });
/** The pages a data source query found. */
export const QueryAnswer = z.object({ results: z.array(PageAnswer) });

const OptionAnswer = z.nullable(z.object({ name: z.string() }));
/** A page's properties, by name: of a status or select property, the option chosen. */
export const PagePropertiesAnswer = z.object({
  properties: z.record(
    z.string(),
    z.object({ type: z.string(), status: z.optional(OptionAnswer), select: z.optional(OptionAnswer) }),
  ),
});

/** One user as retrieved: a person has an email when the integration may read it. */
export const UserAnswer = z.object({
  type: z.optional(z.string()),
  person: z.optional(z.object({ email: z.optional(z.nullable(z.string())) })),
});
/** One page of the workspace's users. */
export const UsersAnswer = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      person: z.optional(z.object({ email: z.optional(z.string()) })),
    }),
  ),
  has_more: z.boolean(),
  next_cursor: z.nullable(z.string()),
});
