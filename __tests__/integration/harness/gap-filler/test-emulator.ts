/** For the gap filler's own tests: moto_server with the filler in front, and SDK client settings for either. */
import { startGapFiller, type GapFiller } from '../aws-gap-filler';
import { startEmulator, type Emulator } from '../moto';

export interface FilledEmulator {
  readonly moto: Emulator;
  readonly filler: GapFiller;
  /** SDK client settings for the filler (what Terraform talks to). */
  readonly config: ReturnType<typeof clientConfig>;
  /** SDK client settings for moto alone (to show a gap is real). */
  readonly motoConfig: ReturnType<typeof clientConfig>;
  stop(): Promise<void>;
}

export function clientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' },
    forcePathStyle: true,
    maxAttempts: 1,
  };
}

export async function startFilledEmulator(): Promise<FilledEmulator> {
  const moto = await startEmulator();
  const filler = await startGapFiller({ upstream: moto.endpoint });
  return {
    moto,
    filler,
    config: clientConfig(filler.endpoint),
    motoConfig: clientConfig(moto.endpoint),
    stop: async () => {
      await filler.stop();
      await moto.stop();
    },
  };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
