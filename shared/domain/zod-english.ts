import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini ships without messages ("Invalid input"); people reading a 400 or a synth error need
// "expected one of …". Only English is imported: `z.locales` would bundle every language (~250 KB).
z.config(en());
