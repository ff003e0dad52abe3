import * as z from 'zod/mini';

// zod/mini ships without messages ("Invalid input"); people reading a 400 or a synth error need
// "expected one of …". Imported for its effect by every module that parses outside input.
z.config(z.locales.en());
