import { apiRoute, created } from '@/lib/server/api-route';
import { conflict, errorResponse, forbidden } from '@/lib/server/api-error';
import { signupSchema } from '@/lib/sign-in/signup-schema';
import { clientAddress } from '@/lib/sign-in/client-address';
import { allowSignup, hashPasswordGated, SIGN_IN_BUSY, SignInRefusedError } from '@/lib/sign-in/sign-in-throttle';
import { countUsers, createUser } from '@/lib/db/repositories/users';
import { DuplicateError } from '@/lib/db/errors';

export const dynamic = 'force-dynamic';

/**
 * Public: creates a user. The first user of a fresh install is always allowed; later sign-ups unless SIGNUP=closed.
 * Sign-ups are counted per client before the password is hashed (429), and hashing shares the sign-in gate (503 when full).
 */
export const POST = apiRoute({ auth: false, body: signupSchema }, async ({ req, db, body }) => {
  try {
    await allowSignup(db, clientAddress(req.headers));
    if (process.env.SIGNUP === 'closed' && (await countUsers(db)) > 0) {
      throw forbidden('signup_closed', 'Sign-up is closed on this installation. Ask an administrator for an account.');
    }
    const user = await createUser(db, { email: body.email, name: body.name, passwordHash: await hashPasswordGated(body.password) });
    return created({ id: user.id, email: user.email, name: user.name });
  } catch (err) {
    if (err instanceof DuplicateError) throw conflict('email_taken', 'An account with this email already exists. Sign in instead.');
    if (err instanceof SignInRefusedError) {
      const retryAfter = { 'Retry-After': String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))) };
      return err.code === SIGN_IN_BUSY
        ? errorResponse(503, 'busy', 'The server is busy. Try again in a moment.', undefined, retryAfter)
        : errorResponse(429, 'too_many_signups', 'Too many sign-ups from this address. Try again later.', undefined, retryAfter);
    }
    throw err;
  }
});
