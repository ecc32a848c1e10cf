import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fleet repository as a platform team keeps one: `count` YAML files of about 4 KiB each (a
 * Deployment, its Service and its ConfigMap) across 20 team folders. Deterministic, so every run
 * packs the same bytes; varied enough that gzip compresses it as it would real manifests.
 */
export function fleetFolder(count: number): { path: string; bytes: number } {
  const root = mkdtempSync(join(tmpdir(), 'bench-fleet-'));
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const team = `team-${i % 20}`;
    mkdirSync(join(root, team), { recursive: true });
    const settings = Array.from(
      { length: 100 },
      (_, k) => `    SETTING_${k}_${(i * 7919 + k * 104729) % 100000}: "${((i + 1) * (k + 3) * 2654435761) % 4294967296}"`,
    ).join('\n');
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ${team}
  labels:
    app.kubernetes.io/name: app-${i}
    app.kubernetes.io/part-of: ${team}
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels:
      app.kubernetes.io/name: app-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: app-${i}
    spec:
      containers:
        - name: app
          image: registry.example.com/${team}/app-${i}:1.${i % 13}.${i % 7}
          ports:
            - containerPort: ${8000 + (i % 100)}
          envFrom:
            - configMapRef:
                name: app-${i}
          resources:
            requests:
              cpu: ${50 + (i % 10) * 25}m
              memory: ${64 + (i % 8) * 32}Mi
            limits:
              memory: ${128 + (i % 8) * 64}Mi
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
  namespace: ${team}
spec:
  selector:
    app.kubernetes.io/name: app-${i}
  ports:
    - port: 80
      targetPort: ${8000 + (i % 100)}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-${i}
  namespace: ${team}
data:
${settings}
`;
    writeFileSync(join(root, team, `app-${i}.yaml`), text);
    bytes += Buffer.byteLength(text);
  }
  return { path: root, bytes };
}
