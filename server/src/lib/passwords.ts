import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum memory cost; ~30 ms per hash here, which also slows guessing.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal usernames. */
export const DUMMY_HASH = await hashPassword('not-a-real-password-qianliyan');
