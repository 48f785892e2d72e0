/**
 * English words in rough frequency order: function words first, then the general and programming words that fill
 * assistant conversations. The vocabulary module appends a long synthetic tail, so these are the head of the curve.
 */
export const ENGLISH_FUNCTION_WORDS =
  `the to and a of is in it that you this for i be on with we can if not as
are have so but or at this it's from will do an use by should there which just when also then what all would
need more now like here was one has some them they our my your into only other any than no how`
    .split(/\s+/)
    .filter(Boolean)

export const ENGLISH_CONTENT_WORDS = `file code function error test data type value make change return run new
add check update want work line user first call get set build issue problem method class name string list
component server request response message config version path default object output input state
using case fix example project result time support library module import export command script
database query table index field key option param parameter variable instance event handler callback promise
async await loop array map filter reduce element node tree parse format render view page route client
service api endpoint token session cache memory process thread worker queue job task schedule timeout retry
connection connect connected connector connecting connections pool socket stream buffer encode decode
migration schema column row insert delete select join transaction commit rollback lock read write log
logger logging debug warning info trace metric monitor deploy release branch merge rebase conflict
repository package dependency install upgrade downgrade compile compiler bundle bundler
lint linter formatter style theme layout button form modal dialog menu label icon image
font color border margin padding width height position animation scroll click hover focus keyboard mouse
window document browser storage cookie header body status redirect proxy cors auth authentication
authorization permission role admin account password hash salt encrypt decrypt certificate secret
environment container docker kubernetes cluster pod volume network port host domain
url uri http https json yaml xml csv markdown html css javascript typescript python rust golang java
kotlin swift ruby php shell bash sql regex pattern match replace split trim slice concat
interface generic enum struct trait impl macro closure lambda scope hoist prototype inheritance
constructor destructor override overload abstract static private public protected readonly const
mutable immutable reference pointer borrow lifetime ownership allocation garbage collector leak
performance latency throughput benchmark profile optimize bottleneck regression flaky snapshot mock
stub spy fixture assertion coverage integration unit e2e pipeline workflow action trigger cron webhook
notification email template hydrate server-side static-site generator plugin extension
middleware router controller entity validation
validator sanitize escape injection vulnerability patch hotfix changelog readme documentation comment
refactor rename extract inline simplify cleanup remove deprecated legacy compatibility polyfill
fallback feature flag toggle experiment rollout canary dashboard alert incident outage
recovery backup restore replica shard partition throttle debounce batch chunk paginate cursor offset
limit sort order group aggregate count sum average percentile histogram timestamp timezone date
duration interval calendar locale translation unicode encoding utf-8 emoji accessibility screen
reader contrast responsive mobile desktop tablet electron native binary architecture design proposal
tradeoff decision requirement specification estimate deadline sprint ticket review approve reviewer
suggestion nitpick typo whitespace indentation semicolon bracket parenthesis quote backtick newline`
  .split(/\s+/)
  .filter(Boolean)

/** Technical two-word phrases that recur in coding conversations; they make phrase queries meaningful. */
export const ENGLISH_COLLOCATIONS = [
  'connection pool',
  'race condition',
  'null pointer',
  'unit test',
  'type error',
  'merge conflict',
  'memory leak',
  'dependency injection',
  'environment variable',
  'database migration',
  'error handling',
  'build step',
  'pull request',
  'stack trace',
  'rate limit',
  'cache invalidation',
  'feature flag',
  'foreign key',
  'event loop',
  'edge case',
  'happy path',
  'code review',
  'hot reload',
  'dead code',
  'off by one',
  'source map',
  'tree shaking',
  'lazy loading',
  'exit code',
  'file watcher',
]

/** Real words that belong in the tail: rare, but a user would search for them by name. */
export const ENGLISH_RARE_WORDS = [
  'idempotency',
  'backpressure',
  'memoization',
  'serializable',
  'tombstone',
  'quiescence',
  'linearizability',
  'hysteresis',
  'monotonicity',
  'vectorization',
  'reentrancy',
  'debouncer',
]
