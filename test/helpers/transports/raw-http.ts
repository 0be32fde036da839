import net from 'node:net';

/**
 * Sends bytes exactly as given (fetch would normalise the URL) and resolves with the status code
 * of the answer, or 0 when the server closed the connection without one.
 */
export function rawRequest(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let buf = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      buf += d;
      const m = /^HTTP\/1\.1 (\d{3})/.exec(buf);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on('end', () => resolve(0));
    socket.on('error', reject);
  });
}
