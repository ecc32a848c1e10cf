import { APPLICATION_DEFINITIONS, APPLICATION_SPEC } from '../kinds/application';
import { fields, type JsonSchema } from '../schemas/fieldSpec';
import { kindSchema } from '../schemas/kindSchema';

export const API_VERSION = 'argoproj.io/v1alpha1';

// Fields most generators end with: the template they override, their own extra parameters and how
// often their source is polled.
const TEMPLATE_OVERRIDE = `template @template -- Overrides of the ApplicationSet's template for what this generator makes, merged over it.`;
const OVERRIDES = `${TEMPLATE_OVERRIDE}
values map -- Extra parameters added to every parameter set this generator makes; they may use template actions.`;
const REQUEUE = `requeueAfterSeconds integer -- Seconds between two polls of this generator's source.`;

const SECRET_KEY = fields(`
secretName! string -- Name of the Secret, in the ApplicationSet controller's namespace.
key! string -- Key of the token in the Secret.
`);

const CA_REF = `
  caRef object -- A ConfigMap holding the CA certificate of the server.
    configMapName! string -- Name of the ConfigMap.
    key! string -- Key of the certificate in the ConfigMap.`;

const BITBUCKET_SERVER_AUTH = `
  basicAuth object -- Log in with a user name and password.
    username! string -- The user name.
    passwordRef! @secretKey -- The Secret key holding the password.
  bearerToken object -- Log in with a bearer token.
    tokenRef! @secretKey -- The Secret key holding the token.`;

const LABEL_SELECTOR = fields(`
matchLabels map -- Labels a parameter set (or cluster) must have, all of them.
matchExpressions object[] -- Set-based requirements, all of which must match.
  key! string -- The label key.
  operator! string -- In, NotIn, Exists or DoesNotExist.
  values string[] -- Values for In and NotIn.
`);

const LIST = fields(`
elements any[] -- The parameter sets, one per Application: each a map of names to values.
elementsYaml string -- The parameter sets as a YAML list in a string (a template may produce it).
${TEMPLATE_OVERRIDE}
`);

const CLUSTERS = fields(`
selector @labelSelector -- Clusters (their Secrets' labels) to make Applications for; every cluster when left out.
flatList boolean -- Make one parameter set listing every cluster instead of one set per cluster.
${OVERRIDES}
`);

const GIT = fields(`
repoURL! string -- The Git repository to read.
revision! string -- Branch, tag or commit to read.
directories object[] -- Folders whose paths become parameter sets (globs allowed).
  path! string -- A folder or glob, e.g. apps/*.
  exclude boolean -- Leave the folders this path matches out.
files object[] -- JSON or YAML files whose contents become parameter sets (globs allowed).
  path! string -- A file or glob, e.g. clusters/**/config.json.
  exclude boolean -- Leave the files this path matches out.
pathParamPrefix string -- Prefix of the path parameters' names, to tell two git generators apart in a matrix.
${REQUEUE}
${OVERRIDES}
`);

const SCM_PROVIDER = fields(`
github object -- Repositories of a GitHub organisation or user.
  organization! string -- The organisation or user.
  api string -- API URL, for GitHub Enterprise.
  tokenRef @secretKey -- Secret key holding a token.
  appSecretName string -- Secret holding GitHub App credentials.
  allBranches boolean -- A parameter set per branch, not just the default branch.
  excludeArchivedRepos boolean -- Leave archived repositories out.
gitlab object -- Projects of a GitLab group.
  group! string -- The group, by path or id.
  api string -- API URL, for a self-hosted GitLab.
  tokenRef @secretKey -- Secret key holding a token.
  includeSubgroups boolean -- Also list projects of subgroups.
  includeSharedProjects boolean -- Also list projects shared with the group.
  includeArchivedRepos boolean -- Also list archived projects.
  topic string -- Only projects with this topic.
  allBranches boolean -- A parameter set per branch, not just the default branch.
  insecure boolean -- Skip TLS verification of the server.
${CA_REF}
gitea object -- Repositories of a Gitea organisation or user.
  owner! string -- The organisation or user.
  api! string -- The Gitea server's URL.
  tokenRef @secretKey -- Secret key holding a token.
  allBranches boolean -- A parameter set per branch, not just the default branch.
  insecure boolean -- Skip TLS verification of the server.
  excludeArchivedRepos boolean -- Leave archived repositories out.
bitbucket object -- Repositories of a Bitbucket Cloud workspace.
  owner! string -- The workspace.
  user! string -- The user that logs in.
  appPasswordRef! @secretKey -- Secret key holding the app password.
  allBranches boolean -- A parameter set per branch, not just the main branch.
bitbucketServer object -- Repositories of a Bitbucket Server (Data Center) project.
  project! string -- The project key.
  api! string -- The server's REST API URL.
  allBranches boolean -- A parameter set per branch, not just the default branch.
  insecure boolean -- Skip TLS verification of the server.
${BITBUCKET_SERVER_AUTH}
${CA_REF}
azureDevOps object -- Repositories of an Azure DevOps team project.
  organization! string -- The organisation.
  teamProject! string -- The team project.
  accessTokenRef! @secretKey -- Secret key holding a personal access token.
  api string -- API URL; https://dev.azure.com when left out.
  allBranches boolean -- A parameter set per branch, not just the default branch.
awsCodeCommit object -- AWS CodeCommit repositories.
  region string -- AWS region; the controller's when left out.
  role string -- IAM role to assume to list the repositories.
  tagFilters object[] -- Only repositories with these tags.
    key! string -- Tag key.
    value string -- Tag value; any when left out.
  allBranches boolean -- A parameter set per branch, not just the default branch.
cloneProtocol string -- ssh or https: which URL the url parameter holds.
filters object[] -- Which repositories (and branches) to keep; a repository must pass one filter.
  repositoryMatch string -- Regular expression the repository name must match.
  branchMatch string -- Regular expression the branch name must match.
  labelMatch string -- Regular expression one of the repository's labels must match.
  pathsExist string[] -- Paths that must exist in the repository.
  pathsDoNotExist string[] -- Paths that must not exist in the repository.
${REQUEUE}
${OVERRIDES}
`);

const PULL_REQUEST = fields(`
github object -- Open pull requests of a GitHub repository.
  owner! string -- Organisation or user owning the repository.
  repo! string -- The repository.
  api string -- API URL, for GitHub Enterprise.
  tokenRef @secretKey -- Secret key holding a token.
  appSecretName string -- Secret holding GitHub App credentials.
  labels string[] -- Only pull requests with all these labels.
gitlab object -- Open merge requests of a GitLab project.
  project! string -- The project, by path or id.
  api string -- API URL, for a self-hosted GitLab.
  tokenRef @secretKey -- Secret key holding a token.
  labels string[] -- Only merge requests with all these labels.
  pullRequestState string -- Only merge requests in this state, e.g. opened.
  insecure boolean -- Skip TLS verification of the server.
${CA_REF}
gitea object -- Open pull requests of a Gitea repository.
  owner! string -- Organisation or user owning the repository.
  repo! string -- The repository.
  api! string -- The Gitea server's URL.
  tokenRef @secretKey -- Secret key holding a token.
  labels string[] -- Only pull requests with all these labels.
  insecure boolean -- Skip TLS verification of the server.
bitbucket object -- Open pull requests of a Bitbucket Cloud repository.
  owner! string -- The workspace.
  repo! string -- The repository.
  api string -- API URL; Bitbucket Cloud's when left out.
  basicAuth object -- Log in with a user name and app password.
    username! string -- The user name.
    passwordRef! @secretKey -- The Secret key holding the password.
  bearerToken object -- Log in with an access token.
    tokenRef! @secretKey -- The Secret key holding the token.
bitbucketServer object -- Open pull requests of a Bitbucket Server (Data Center) repository.
  project! string -- The project key.
  repo! string -- The repository.
  api! string -- The server's REST API URL.
  insecure boolean -- Skip TLS verification of the server.
${BITBUCKET_SERVER_AUTH}
${CA_REF}
azuredevops object -- Active pull requests of an Azure DevOps repository.
  organization! string -- The organisation.
  project! string -- The team project.
  repo! string -- The repository.
  api string -- API URL; https://dev.azure.com when left out.
  tokenRef @secretKey -- Secret key holding a personal access token.
  labels string[] -- Only pull requests with all these labels.
filters object[] -- Which pull requests to keep; a pull request must pass one filter.
  branchMatch string -- Regular expression the source branch must match.
  targetBranchMatch string -- Regular expression the target branch must match.
  titleMatch string -- Regular expression the title must match.
continueOnRepoNotFoundError boolean -- Make no Applications, rather than fail, when the repository is not found.
${REQUEUE}
${OVERRIDES}
`);

const CLUSTER_DECISION_RESOURCE = fields(`
configMapRef! string -- ConfigMap naming the duck-typed resource (apiVersion, kind, statusListKey, matchKey).
name string -- Name of the resource to read decisions from.
labelSelector @labelSelector -- Or: labels of the resources to read decisions from.
${REQUEUE}
${OVERRIDES}
`);

const PLUGIN = fields(`
configMapRef! object -- ConfigMap holding the plugin's URL and the Secret key of its token.
  name! string -- Name of the ConfigMap.
input object -- What is sent to the plugin.
  parameters values -- Parameters sent to the plugin, any YAML.
${REQUEUE}
${OVERRIDES}
`);

// The generators that make parameter sets themselves, as one list of fields both the top-level
// generators and the children of a matrix or merge take.
const TERMINAL = `
list @list -- Parameter sets written out in the ApplicationSet.
clusters @clusters -- A parameter set per cluster registered in Argo CD.
git @git -- Parameter sets from a Git repository's folders or files.
scmProvider @scmProvider -- A parameter set per repository of an organisation on GitHub, GitLab, Gitea, Bitbucket, Azure DevOps or CodeCommit.
pullRequest @pullRequest -- A parameter set per open pull request of a repository.
clusterDecisionResource @clusterDecisionResource -- A parameter set per cluster a resource's status lists (e.g. Open Cluster Management placements).
plugin @plugin -- Parameter sets from an HTTP plugin.
selector @labelSelector -- Keep only the parameter sets whose values match this selector.`;

const COMBINATIONS = `
matrix object -- Every combination of the parameter sets of exactly two child generators.
  generators! @nestedGenerator[] -- The two child generators.
  template @template -- Overrides of the ApplicationSet's template for what this generator makes.
merge object -- The parameter sets of the first child generator, updated by the later ones where the merge keys agree.
  generators! @nestedGenerator[] -- Two or more child generators; the first is the base.
  mergeKeys! string[] -- Parameters whose values must agree for two sets to be merged.
  template @template -- Overrides of the ApplicationSet's template for what this generator makes.`;

const GENERATOR = fields(`${TERMINAL}\n${COMBINATIONS}`);

const NESTED_GENERATOR = fields(`
${TERMINAL}
matrix any -- A matrix inside a matrix or merge: generators (two, none of them a matrix or merge), no template.
merge any -- A merge inside a matrix or merge: generators and mergeKeys, none of the generators a matrix or merge, no template.
`);

const TEMPLATE = fields(`
metadata! object -- Metadata of each Application made.
  name string -- Name of the Application; it must differ between parameter sets, so it usually holds a template action.
  namespace string -- Namespace of the Application (Argo CD's, or one it is allowed to watch).
  labels map -- Labels of the Application.
  annotations map -- Annotations of the Application.
  finalizers string[] -- Finalizers, e.g. resources-finalizer.argocd.argoproj.io to delete what the Application deployed with it.
spec! @applicationSpec -- The Application's spec, with template actions where values come from the generators.
`);

const SPEC: JsonSchema = fields(`
generators! @generator[] -- What makes the parameter sets: one Application per set, from the template.
template! @template -- The Application made for each parameter set.
goTemplate boolean -- Read template actions as Go templates ({{ .path.basename }}, with Sprig functions) rather than plain {{name}} substitutions.
goTemplateOptions string[] -- Go template options, e.g. missingkey=error to fail on a missing parameter.
templatePatch string -- A strategic merge patch, itself a Go template, applied to each Application made (needs goTemplate).
syncPolicy object -- What the controller may do to the Applications it made.
  applicationsSync string enum=create-only|create-update|create-delete|sync -- Which changes the controller makes to Applications: create-only, create-update, create-delete or sync (all).
  preserveResourcesOnDeletion boolean -- Keep the Applications' deployed resources when the ApplicationSet is deleted.
strategy object -- How changes roll out to the Applications.
  type string -- AllAtOnce (the default) or RollingSync.
  rollingSync object -- Sync Applications step by step, by their labels.
    steps object[] -- The steps, in order.
      matchExpressions object[] -- Labels of the Applications this step syncs.
        key string -- The label key.
        operator string -- In or NotIn.
        values string[] -- The label values.
      maxUpdate int-or-string -- How many (or what percentage) of them sync at once.
  deletionOrder string -- AllAtOnce or Reverse (the rolling sync's steps backwards): the order Applications are deleted in.
preservedFields object -- Fields of the Applications the controller leaves as others set them.
  annotations string[] -- Annotations to preserve.
  labels string[] -- Labels to preserve.
ignoreApplicationDifferences object[] -- Fields of the Applications the controller leaves alone when they differ from the template.
  name string -- Only the Application of this name.
  jsonPointers string[] -- JSON pointers of the fields.
  jqPathExpressions string[] -- jq paths of the fields.
applyNestedSelectors boolean -- Deprecated and ignored: selectors of generators inside a matrix or merge always apply.
`);

export const APPLICATION_SET_SCHEMA = kindSchema(API_VERSION, 'ApplicationSet', SPEC, {
  description: 'Argo CD ApplicationSet: makes Applications from a template, one per parameter set its generators produce.',
  required: ['metadata', 'spec'],
  definitions: {
    ...APPLICATION_DEFINITIONS,
    applicationSpec: APPLICATION_SPEC,
    template: TEMPLATE,
    generator: GENERATOR,
    nestedGenerator: NESTED_GENERATOR,
    list: LIST,
    clusters: CLUSTERS,
    git: GIT,
    scmProvider: SCM_PROVIDER,
    pullRequest: PULL_REQUEST,
    clusterDecisionResource: CLUSTER_DECISION_RESOURCE,
    plugin: PLUGIN,
    labelSelector: LABEL_SELECTOR,
    secretKey: SECRET_KEY,
  },
});
