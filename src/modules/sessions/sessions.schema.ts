// Body of POST /v1/inbox/session (docs/inbox.md): field shapes only, in the 400 envelope. The
// lengths bound what a hash is asked to digest, not what an account may be called.
import { body, text } from '../../input/validate.ts';

export const signInBody = body({
  email: text({ required: true, maxLength: 320 }),
  password: text({ required: true, maxLength: 1024 }),
});
