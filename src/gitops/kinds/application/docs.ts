// Where Argo CD documents what the rules and live checks of this kind follow.
export const DOCS = 'https://argo-cd.readthedocs.io/en/stable/user-guide/oci/';
export const SPEC_DOCS = 'https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/';
export const HELM_DOCS = 'https://argo-cd.readthedocs.io/en/stable/user-guide/helm/';
