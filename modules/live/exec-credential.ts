/**
 * Kubernetes' client-go credential plugins (client.authentication.k8s.io): run the kubeconfig's exec
 * command (for EKS `aws eks get-token --cluster-name <name>`) with its env added, and read the
 * ExecCredential it prints: `status.token`, or a client certificate and key. aws-cli's get_token.py
 * answers in the apiVersion KUBERNETES_EXEC_INFO asks for (v1beta1 when it is absent).
 */
import { execFile } from "node:child_process";
import type { ExecPlugin } from "./kubeconfig";
import { oneLine, seconds, UnreachableError } from "./limits";

export interface ExecCredential {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
}

export function runExecPlugin(plugin: ExecPlugin, timeoutMs: number): Promise<ExecCredential> {
  const info = { apiVersion: plugin.apiVersion, kind: "ExecCredential", spec: { interactive: false } };
  const env = {
    ...process.env,
    ...Object.fromEntries(plugin.env.map((e) => [e.name, e.value])),
    KUBERNETES_EXEC_INFO: JSON.stringify(info),
  };
  const shown = [plugin.command, ...plugin.args].join(" ");
  return new Promise((resolve, reject) => {
    execFile(
      plugin.command,
      plugin.args,
      { env, cwd: plugin.directory, timeout: timeoutMs, maxBuffer: 1 << 20, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error) {
          const why = error.killed
            ? `no answer within ${seconds(timeoutMs)}`
            : (error as NodeJS.ErrnoException).code === "ENOENT"
              ? `${plugin.command} is not on the PATH`
              : oneLine(stderr || error.message).slice(0, 300);
          reject(new UnreachableError("the cluster", `kubeconfig credential plugin \`${shown}\` failed: ${why}`));
          return;
        }
        try {
          const status = (JSON.parse(stdout) as { status?: Record<string, unknown> }).status ?? {};
          const credential: ExecCredential = {
            token: typeof status.token === "string" ? status.token : undefined,
            cert:
              typeof status.clientCertificateData === "string" ? Buffer.from(status.clientCertificateData) : undefined,
            key: typeof status.clientKeyData === "string" ? Buffer.from(status.clientKeyData) : undefined,
          };
          if (!credential.token && !credential.cert)
            throw new Error("it holds neither status.token nor a client certificate");
          resolve(credential);
        } catch (e) {
          reject(
            new UnreachableError("the cluster", `\`${shown}\` printed no ExecCredential: ${(e as Error).message}`),
          );
        }
      },
    );
  });
}
