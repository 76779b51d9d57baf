/**
 * Reasons the service cannot start that need no stack trace: the message says what is wrong and how to fix it.
 * The entries log them as one fatal line and exit 1.
 */
export class StartError extends Error {
  constructor(
    message: string,
    /** Fields for the log line (the port, the directory, ...). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'StartError';
  }
}

/** Another process listens on the port (typically a second `npm run dev`). */
export class PortInUseError extends StartError {
  constructor(port: number, host: string | undefined) {
    super(
      `Port ${port} is already in use${host ? ` on ${host}` : ''}, probably by another cart service ` +
        `(\`npm run dev\` or \`npm start\`). Use that one (http://localhost:${port}), stop it, or start this one ` +
        `on another port: PORT=${port === 0 ? 8081 : port + 1}`,
      { port, host: host ?? null },
    );
    this.name = 'PortInUseError';
  }
}
