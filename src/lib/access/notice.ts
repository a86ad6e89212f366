// The relay tells a neighbourhood's open devices that access changed (a role given or taken, a
// member let in), as an ephemeral message on the root document; each device then asks who it is
// now. The message itself carries nothing: whoever sends it, a device only believes the relay's
// answer to its own question.
import * as v from 'valibot';

const Notice = v.object({ noaber: v.literal('access-changed') });
export const ACCESS_CHANGED: v.InferOutput<typeof Notice> = { noaber: 'access-changed' };
export const isAccessNotice = (message: unknown): boolean => v.is(Notice, message);
