import { apiRoute, created } from '@/lib/server/api-route';
import { conflict, forbidden } from '@/lib/server/api-error';
import { signupSchema } from '@/lib/sign-in/signup-schema';
import { hashPassword } from '@/lib/sign-in/password';
import { countUsers, createUser } from '@/lib/db/repositories/users';
import { DuplicateError } from '@/lib/db/errors';

export const dynamic = 'force-dynamic';

/** Public: creates a user. The first user of a fresh install is always allowed; later sign-ups unless SIGNUP=closed. */
export const POST = apiRoute({ auth: false, body: signupSchema }, async ({ db, body }) => {
  if (process.env.SIGNUP === 'closed' && (await countUsers(db)) > 0) {
    throw forbidden('signup_closed', 'Sign-up is closed on this installation. Ask an administrator for an account.');
  }
  try {
    const user = await createUser(db, { email: body.email, name: body.name, passwordHash: await hashPassword(body.password) });
    return created({ id: user.id, email: user.email, name: user.name });
  } catch (err) {
    if (err instanceof DuplicateError) throw conflict('email_taken', 'An account with this email already exists. Sign in instead.');
    throw err;
  }
});
