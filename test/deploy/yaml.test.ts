/** Every YAML file of the deployment parses (multi-document files included), with no duplicate keys. */
import { loadYamlDocuments, listRepoFiles } from './support/repo-files';
import { objectHeaderSchema } from './support/k8s-objects';

const yamlFiles = ['docker-compose.yml', ...listRepoFiles('deploy', ['.yaml', '.yml'])];

describe('deployment YAML', () => {
  it.each(yamlFiles.map((f) => [f]))('%s parses', (file) => {
    expect(loadYamlDocuments(file).length).toBeGreaterThan(0);
  });

  // Kustomization files are read (strictly) by the kustomize builds of the other deploy tests.
  const manifests = listRepoFiles('deploy/k8s', ['.yaml', '.yml']).filter((f) => !f.endsWith('/kustomization.yaml'));

  it.each(manifests.map((f) => [f]))('%s holds only Kubernetes objects (apiVersion, kind, metadata.name)', (file) => {
    const problems = loadYamlDocuments(file).flatMap((doc, index) => {
      const parsed = objectHeaderSchema.safeParse(doc);
      return parsed.success
        ? []
        : [
            `${file} document ${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          ];
    });
    expect(problems).toEqual([]);
  });
});
