//! Reading and parsing every input in parallel into one graph.
//!
//! Terraform: every directory of `.tf`/`.tf.json` files is parsed once; the directories that
//! no other scanned directory calls as a local module are root modules and are evaluated
//! (with the modules they call); a plan is mapped to its configuration directory, which is
//! then not evaluated a second time as a root. Texts are read first; directories are then
//! parsed, evaluated and freed one group at a time (`terraform::groups`), so that memory
//! holds the syntax trees of the groups in flight only, not of the whole repository.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::discover::{self, Candidate, Inputs};
use crate::graph::{Dialect, Graph, InputError, InputKind, Unit, UnitId};
use crate::parse::{cloudformation, json, limits, plan, yaml};
use crate::source::{FileId, SourceMap, Span};
use crate::terraform::{self, RootVars, files::Files, loader, scope::Unresolved, vars};
use crate::value::{Node, Value};

/// Counts of what a scan read, per input kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileCounts {
    pub terraform_files: usize,
    /// Terraform root modules evaluated (a plan's configuration included).
    pub terraform_modules: usize,
    pub cloudformation: usize,
    pub plans: usize,
    pub skipped: usize,
}

/// How much of the scanned code could be evaluated (`--stats`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Terraform module instances evaluated, root modules included.
    pub module_instances: usize,
    /// Distinct Terraform module directories used.
    pub module_dirs: usize,
    /// Managed resources (and resource instances) in the graph.
    pub resources: usize,
    pub data_sources: usize,
    /// Top-level attribute values of those resources.
    pub attributes: usize,
    /// Attribute values known entirely.
    pub known: usize,
    /// Attribute values unknown entirely.
    pub unknown: usize,
    /// Attribute values known in part (a list with an unknown element).
    pub partial: usize,
}

/// What a scan may be told besides the paths.
#[derive(Clone, Debug, Default)]
pub struct ScanOptions {
    /// `--var` and `--var-file`, in command-line order.
    pub vars: Vec<vars::CliVar>,
    /// Environment variables (only `TF_VAR_*` are used).
    pub env: Vec<(String, String)>,
    /// `--plan-source`: the configuration directory of the scanned plans.
    pub plan_source: Option<PathBuf>,
}

/// The result of reading and parsing the inputs.
#[derive(Debug, Default)]
pub struct Scanned {
    pub sources: SourceMap,
    pub graph: Graph,
    pub errors: Vec<InputError>,
    /// Errors about paths that have no source text (unreadable, walk errors).
    pub path_errors: Vec<(PathBuf, String)>,
    pub counts: FileCounts,
    /// Module calls that could not be loaded, once per call.
    pub unresolved: Vec<Unresolved>,
    pub stats: Stats,
    /// Files and directories left out by ignore files or `exclude`, with the reason.
    pub skipped: Vec<crate::ignore_rules::Skipped>,
    /// Warnings of the scan: symlinks not followed because they lead outside the root.
    pub notices: Vec<crate::notice::Notice>,
}

/// One parallel job's output, merged in a fixed order afterwards.
#[derive(Default)]
struct Part {
    graph: Graph,
    errors: Vec<InputError>,
    path_errors: Vec<(PathBuf, String)>,
    counts: FileCounts,
    unresolved: Vec<Unresolved>,
    notices: Vec<crate::notice::Notice>,
    module_instances: usize,
    module_dirs: Vec<PathBuf>,
}

/// A plan document waiting to be mapped to its configuration.
struct PendingPlan {
    root: Node,
    path: PathBuf,
}

/// Reads and parses all inputs.
pub fn scan(inputs: Inputs) -> Scanned {
    scan_with(inputs, &ScanOptions::default())
}

/// Reads and parses all inputs with options.
pub fn scan_with(inputs: Inputs, opts: &ScanOptions) -> Scanned {
    in_pool(|| scan_in_pool(inputs, opts))
}

/// Runs `work` on the scan's threads (see [`scan_pool`]). The checks run there too: their
/// threads' memory already holds the room the scan freed, where new threads would take
/// fresh memory from the system.
pub fn in_pool<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match scan_pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The threads scans run on: evaluation recurses through modules and locals, so they get
/// more stack than rayon's default. One pool for the process, so that a second scan (an
/// editor, a test) finds its threads and their memory ready.
fn scan_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(256 << 20)
            .thread_name(|i| format!("cislint-scan-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

fn scan_in_pool(inputs: Inputs, opts: &ScanOptions) -> Scanned {
    let sources = SourceMap::default();
    let mut roots: Vec<PathBuf> = vec![inputs.root.clone()];
    if inputs.root.as_os_str().is_empty() {
        // Built by hand, without a project root: the inputs' own directories.
        roots.clear();
        roots.extend(inputs.terraform.keys().cloned());
        roots.extend(
            inputs
                .documents
                .iter()
                .filter_map(|(p, _)| p.parent().map(Path::to_path_buf)),
        );
        roots.extend(opts.plan_source.iter().cloned());
    }
    let files = Files::new(&sources, &roots);
    let var_inputs = vars::VarInputs::read(&sources, &opts.vars, &opts.env);

    // Every text is read first (reports quote them); syntax trees live only while their
    // group of directories is evaluated (see `terraform::groups`).
    let tf_jobs: Vec<(&PathBuf, &Vec<PathBuf>)> = inputs.terraform.iter().collect();
    let read: Vec<ReadDir> = tf_jobs
        .par_iter()
        .map(|(dir, paths)| read_dir(&files, dir, paths, &inputs.overlay))
        .collect();
    let doc_parts: Vec<(Part, Option<PendingPlan>)> = inputs
        .documents
        .par_iter()
        .map(|(path, kind)| document(&sources, path, *kind, &inputs.overlay))
        .collect();
    // Where each plan's configuration is: (as displayed, canonical).
    let plan_dirs: Vec<Option<(PathBuf, PathBuf)>> = doc_parts
        .iter()
        .map(|(_, p)| {
            let p = p.as_ref()?;
            let dir = match &opts.plan_source {
                Some(d) => d.clone(),
                None => p
                    .path
                    .parent()
                    .map(Path::to_path_buf)
                    .filter(|d| has_terraform_files(discover::on_disk(d)))?,
            };
            let canonical = std::fs::canonicalize(discover::on_disk(&dir)).ok()?;
            Some((dir, canonical))
        })
        .collect();
    let jobs = group_jobs(read, doc_parts, plan_dirs, &files);

    let outs = largest_first(jobs, |job| run_group(job, &files, &var_inputs));

    // Back into the order of a scan that did everything at once: directories as listed,
    // root modules by name, documents as listed.
    let mut parse_parts: Vec<(usize, Part)> = Vec::new();
    let mut root_parts: Vec<(PathBuf, Part)> = Vec::new();
    let mut doc_parts: Vec<(usize, Part)> = Vec::new();
    let mut cache_errors: Vec<InputError> = Vec::new();
    // A directory taken for a root in its group but called from another group (a call the
    // lexical grouping could not see) is evaluated through that call, not as a root.
    let mut calling_groups: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    for (g, out) in outs.iter().enumerate() {
        for c in &out.called {
            calling_groups.entry(c.clone()).or_default().push(g);
        }
    }
    for (g, out) in outs.into_iter().enumerate() {
        parse_parts.extend(out.parse_parts);
        root_parts.extend(
            out.root_parts
                .into_iter()
                .filter(|(canonical, _, _)| {
                    calling_groups
                        .get(canonical)
                        .is_none_or(|gs| gs.iter().all(|&o| o == g))
                })
                .map(|(_, display, part)| (display, part)),
        );
        doc_parts.extend(out.doc_parts);
        cache_errors.extend(out.cache_errors);
    }
    parse_parts.sort_by_key(|(i, _)| *i);
    root_parts.sort_by(|a, b| a.0.cmp(&b.0));
    doc_parts.sort_by_key(|(i, _)| *i);
    let mut out = Scanned {
        path_errors: inputs.errors,
        skipped: inputs.skipped,
        notices: inputs.notices,
        ..Default::default()
    };
    out.errors.extend(var_inputs.errors.iter().cloned());
    out.path_errors
        .extend(var_inputs.path_errors.iter().cloned());
    let mut module_dirs: BTreeSet<PathBuf> = BTreeSet::new();
    let parts: Vec<Part> = parse_parts
        .into_iter()
        .map(|(_, p)| p)
        .chain(root_parts.into_iter().map(|(_, p)| p))
        .chain(doc_parts.into_iter().map(|(_, p)| p))
        .collect();
    out.graph
        .reserve(parts.iter().map(|p| p.graph.resources.len()).sum());
    for part in parts {
        out.graph.merge(part.graph);
        out.errors.extend(part.errors);
        out.path_errors.extend(part.path_errors);
        out.unresolved.extend(part.unresolved);
        out.notices.extend(part.notices);
        out.stats.module_instances += part.module_instances;
        module_dirs.extend(part.module_dirs);
        let c = &mut out.counts;
        c.terraform_files += part.counts.terraform_files;
        c.terraform_modules += part.counts.terraform_modules;
        c.cloudformation += part.counts.cloudformation;
        c.plans += part.counts.plans;
        c.skipped += part.counts.skipped;
    }
    out.errors.extend(cache_errors);
    // Embedded languages the controls read: an unparseable one is an input error.
    out.errors.extend(crate::model::cloudwatch::pattern_errors(
        &out.graph, &sources,
    ));
    // By file name, not file id: ids follow the order in which parallel readers got there.
    let place = |span: &Span| (sources.get(span.file).path.clone(), span.start, span.end);
    out.errors.sort();
    out.errors.dedup();
    out.errors
        .sort_by_cached_key(|e| (place(&e.span), e.message.clone()));
    out.unresolved.sort();
    out.unresolved.dedup_by(|a, b| a.span == b.span);
    out.unresolved.sort_by_cached_key(|u| place(&u.span));
    // A module directory evaluated under several roots warns once per place.
    out.notices.sort_by_key(|n| (n.span, n.code));
    out.notices
        .dedup_by(|a, b| a.span.is_some() && a.span == b.span && a.code == b.code);
    out.stats.module_dirs = module_dirs.len();
    count_attributes(&out.graph, &mut out.stats);
    for link in files.outside_links() {
        let n = crate::notice::symlink_outside_root(&link, &inputs.root);
        crate::notice::push_once(&mut out.notices, n);
    }
    drop(files);
    out.sources = sources;
    out
}

/// Which scanned directories are root modules: those no other scanned directory (nor a
/// plan's configuration) calls as a local module, and not a plan's configuration itself.
/// Directories only reachable through a cycle of calls are roots too, so nothing is lost.
/// Also returns every directory those calls resolve to.
fn root_modules(
    scanned: &[Arc<loader::ParsedDir>],
    plan_dirs: &[Option<Arc<loader::ParsedDir>>],
    files: &Files<'_>,
) -> (Vec<Arc<loader::ParsedDir>>, HashSet<PathBuf>) {
    let calls = |d: &loader::ParsedDir| -> Vec<PathBuf> {
        terraform::config::module_sources(&d.files)
            .into_iter()
            .filter(|(_, s, _)| loader::is_local(s))
            .filter_map(|(_, s, _)| files.resolve(&d.display, &s).ok().map(|(_, c)| c))
            .filter(|c| *c != d.canonical)
            .collect()
    };
    let plan_set: HashSet<PathBuf> = plan_dirs
        .iter()
        .flatten()
        .map(|d| d.canonical.clone())
        .collect();
    let mut edges: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    let mut called: HashSet<PathBuf> = HashSet::new();
    for d in scanned.iter().chain(plan_dirs.iter().flatten()) {
        let targets = calls(d);
        called.extend(targets.iter().cloned());
        edges.insert(d.canonical.clone(), targets);
    }
    let mut roots: Vec<Arc<loader::ParsedDir>> = scanned
        .iter()
        .filter(|d| !called.contains(&d.canonical) && !plan_set.contains(&d.canonical))
        .cloned()
        .collect();
    // Reachable from a root or a plan: evaluated through a call.
    let mut reached: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<PathBuf> = roots
        .iter()
        .map(|d| d.canonical.clone())
        .chain(plan_set.iter().cloned())
        .collect();
    while let Some(c) = stack.pop() {
        if reached.insert(c.clone()) {
            stack.extend(edges.get(&c).into_iter().flatten().cloned());
        }
    }
    for d in scanned {
        if !reached.contains(&d.canonical) && !roots.iter().any(|r| r.canonical == d.canonical) {
            roots.push(d.clone());
            let mut stack = vec![d.canonical.clone()];
            while let Some(c) = stack.pop() {
                if reached.insert(c.clone()) {
                    stack.extend(edges.get(&c).into_iter().flatten().cloned());
                }
            }
        }
    }
    roots.sort_by(|a, b| a.display.cmp(&b.display));
    (roots, called)
}

fn has_terraform_files(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.ends_with(".tf") || n.ends_with(".tf.json")
        })
}

/// Counts the known, unknown and partly known top-level attributes of every resource.
fn count_attributes(graph: &Graph, stats: &mut Stats) {
    // (resources, data sources, attributes, unknown, partly known, known), in parallel:
    // `contains_unknown` walks every value.
    let counts = graph
        .resources
        .par_iter()
        .filter(|r| r.dialect == Dialect::Terraform)
        .map(|r| {
            let mut c = [0usize; 6];
            c[usize::from(r.is_data)] += 1;
            for (_, v) in r.attrs.iter() {
                c[2] += 1;
                if matches!(v.value, Value::Unknown) {
                    c[3] += 1;
                } else if v.contains_unknown() {
                    c[4] += 1;
                } else {
                    c[5] += 1;
                }
            }
            c
        })
        .reduce(|| [0; 6], |a, b| std::array::from_fn(|i| a[i] + b[i]));
    stats.resources += counts[0];
    stats.data_sources += counts[1];
    stats.attributes += counts[2];
    stats.unknown += counts[3];
    stats.partial += counts[4];
    stats.known += counts[5];
}

/// Reads a file as UTF-8 within the size limit.
pub fn read(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let limit = limits::get().file_size;
    if meta.len() > limit {
        return Err(format!(
            "file is larger than the limit of {} (`file-size` in [limits])",
            limits::bytes_text(limit)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads `path`, or takes its text from `overlay` (stdin given `--stdin-filename`).
fn read_input(overlay: &Overlay, path: &Path) -> Result<String, String> {
    match overlay.get(path) {
        Some(text) => Ok(text.to_string()),
        None => read(path),
    }
}

type Overlay = std::collections::BTreeMap<PathBuf, Arc<str>>;

/// One scanned directory's Terraform files, read and registered but not parsed yet.
struct ReadDir {
    /// The directory as displayed.
    display: PathBuf,
    /// `None` when it cannot be resolved (then nothing in it is evaluated).
    canonical: Option<PathBuf>,
    files: Vec<(PathBuf, FileId)>,
    /// Read errors and counts.
    part: Part,
}

/// Reads the files of one directory.
fn read_dir(files: &Files<'_>, dir: &Path, paths: &[PathBuf], overlay: &Overlay) -> ReadDir {
    let mut part = Part::default();
    let mut read = Vec::new();
    for path in paths {
        match read_input(overlay, path) {
            Ok(text) => {
                read.push((path.clone(), files.register(path, text.into())));
                part.counts.terraform_files += 1;
            }
            Err(e) => part.path_errors.push((path.clone(), e)),
        }
    }
    ReadDir {
        display: dir.to_path_buf(),
        // A file named alone (`main.tf`) has the empty path as its directory.
        canonical: std::fs::canonicalize(discover::on_disk(dir)).ok(),
        files: read,
        part,
    }
}

/// Parses a read directory: `None` when no file of it parses; parse errors go to its part.
fn parse_read(dir: ReadDir, files: &Files<'_>) -> (Option<Arc<loader::ParsedDir>>, Part) {
    let mut part = dir.part;
    let mut parsed = Vec::new();
    // File by file in parallel: one directory may hold most of a group's text.
    let results: Vec<_> = dir
        .files
        .par_iter()
        .map(|(path, id)| {
            let text = files.sources.get(*id).text.clone();
            terraform::parse_any(path, *id, &text)
        })
        .collect();
    for result in results {
        match result {
            Ok(p) => parsed.push(p),
            Err(e) => part.errors.push(e),
        }
    }
    let parsed_dir = match (parsed.is_empty(), dir.canonical) {
        (false, Some(canonical)) => Some(Arc::new(loader::ParsedDir {
            display: dir.display,
            canonical,
            files: parsed,
        })),
        _ => None,
    };
    (parsed_dir, part)
}

/// A plan waiting for its configuration: its position among the documents, its part, the
/// document, and its configuration directory (as displayed, canonical).
type PlanJob = (usize, Part, PendingPlan, (PathBuf, PathBuf));

/// What one group evaluates: its directories (with their position in the scan) and the
/// plans whose configuration is among them; documents that are no plan of a configuration
/// travel alone.
#[derive(Default)]
struct GroupJob {
    dirs: Vec<(usize, ReadDir)>,
    plans: Vec<PlanJob>,
    docs: Vec<(usize, Part)>,
}

/// Splits the scan into groups no local module call crosses (see `terraform::groups`).
fn group_jobs(
    read: Vec<ReadDir>,
    doc_parts: Vec<(Part, Option<PendingPlan>)>,
    plan_dirs: Vec<Option<(PathBuf, PathBuf)>>,
    files: &Files<'_>,
) -> Vec<GroupJob> {
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    let mut groups = terraform::groups::Groups::new(read.len());
    for (i, d) in read.iter().enumerate() {
        if let Some(c) = &d.canonical {
            match index.get(c) {
                Some(&j) => groups.join(i, j),
                None => {
                    index.insert(c.clone(), i);
                }
            }
        }
    }
    // Which directories each one's source literals name (in parallel: it reads every text).
    let edges: Vec<Vec<usize>> = read
        .par_iter()
        .map(|d| {
            let own = d.canonical.as_ref();
            let mut seen: HashSet<String> = HashSet::new();
            let mut to = Vec::new();
            for (_, id) in &d.files {
                let text = files.sources.get(*id).text.clone();
                for source in terraform::groups::local_source_literals(&text) {
                    if !seen.insert(source.clone()) {
                        continue;
                    }
                    if let Ok((_, c)) = files.resolve(&d.display, &source)
                        && Some(&c) != own
                        && let Some(&j) = index.get(&c)
                    {
                        to.push(j);
                    }
                }
            }
            to
        })
        .collect();
    for (i, to) in edges.into_iter().enumerate() {
        for j in to {
            groups.join(i, j);
        }
    }
    // Documents: a plan joins the group of its configuration (a directory of its own when
    // that was not scanned); the others are groups of their own.
    let mut doc_item: Vec<usize> = Vec::new();
    for dir in &plan_dirs {
        let item = groups.add();
        if let Some((_, c)) = dir {
            match index.get(c) {
                Some(&j) => groups.join(item, j),
                None => {
                    index.insert(c.clone(), item);
                }
            }
        }
        doc_item.push(item);
    }
    let mut group_of: Vec<usize> = vec![0; read.len() + plan_dirs.len()];
    let grouped = groups.into_groups();
    for (g, items) in grouped.iter().enumerate() {
        for &i in items {
            group_of[i] = g;
        }
    }
    let mut jobs: Vec<GroupJob> = (0..grouped.len()).map(|_| GroupJob::default()).collect();
    for (i, d) in read.into_iter().enumerate() {
        jobs[group_of[i]].dirs.push((i, d));
    }
    for (i, ((part, pending), dir)) in doc_parts.into_iter().zip(plan_dirs).enumerate() {
        let job = &mut jobs[group_of[doc_item[i]]];
        match (pending, dir) {
            (Some(plan), Some(dir)) => job.plans.push((i, part, plan, dir)),
            _ => job.docs.push((i, part)),
        }
    }
    jobs.retain(|j| !(j.dirs.is_empty() && j.plans.is_empty() && j.docs.is_empty()));
    // Largest first (by bytes of text, what parsing and evaluation grow with): a big
    // group started last would leave the other core idle.
    jobs.sort_by_cached_key(|j| {
        std::cmp::Reverse(
            j.dirs
                .iter()
                .flat_map(|(_, d)| &d.files)
                .map(|(_, id)| files.sources.get(*id).text.len())
                .sum::<usize>(),
        )
    });
    jobs
}

/// Runs `work` on every job, the jobs taken in order (largest first) by one worker per
/// thread as each becomes free, and returns the results in the jobs' order. A parallel
/// iterator would split the list in halves and could leave the largest job for last, with
/// one core idle while it runs; the work inside a job is still shared through its own
/// parallel iterators.
fn largest_first<J: Send, R: Send>(jobs: Vec<J>, work: impl Fn(J) -> R + Sync) -> Vec<R> {
    let slots: Vec<Mutex<(Option<J>, Option<R>)>> = jobs
        .into_iter()
        .map(|j| Mutex::new((Some(j), None)))
        .collect();
    let next = AtomicUsize::new(0);
    let workers = rayon::current_num_threads().min(slots.len());
    rayon::scope(|s| {
        for _ in 0..workers {
            s.spawn(|_| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = slots.get(i) else { break };
                    let job = lock(slot).0.take();
                    if let Some(job) = job {
                        let result = work(job);
                        lock(slot).1 = Some(result);
                    }
                }
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()).1)
        .collect()
}

/// Locks a mutex, also after a panic elsewhere (the data is a plain slot).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What one group produced.
struct GroupOut {
    /// Per scanned directory (by position): read and parse errors, counts.
    parse_parts: Vec<(usize, Part)>,
    /// Per root module: canonical directory, displayed directory, result.
    root_parts: Vec<(PathBuf, PathBuf, Part)>,
    /// Per document (by position).
    doc_parts: Vec<(usize, Part)>,
    /// Every directory a local module call of the group's directories resolves to.
    called: HashSet<PathBuf>,
    /// Errors in module directories parsed on demand.
    cache_errors: Vec<InputError>,
}

/// Parses, evaluates and frees one group.
fn run_group(job: GroupJob, files: &Files<'_>, inputs: &vars::VarInputs) -> GroupOut {
    let cache = loader::DirCache::default();
    let parsed: Vec<(usize, Option<Arc<loader::ParsedDir>>, Part)> = job
        .dirs
        .into_par_iter()
        .map(|(i, d)| {
            let (parsed, part) = parse_read(d, files);
            (i, parsed, part)
        })
        .collect();
    let scanned_dirs: Vec<Arc<loader::ParsedDir>> =
        parsed.iter().filter_map(|(_, d, _)| d.clone()).collect();
    for d in &scanned_dirs {
        cache.insert(d.clone());
    }
    let plan_dirs: Vec<Option<Arc<loader::ParsedDir>>> = job
        .plans
        .iter()
        .map(|(_, _, _, (display, canonical))| cache.get(canonical, display, files))
        .collect();
    let (root_dirs, called) = root_modules(&scanned_dirs, &plan_dirs, files);
    // What each root and each plan's configuration loads; the directories' configurations
    // are collected once for all of them.
    let trees: Vec<_> = root_dirs
        .par_iter()
        .map(|dir| terraform::loader::load_tree(dir, &cache, files))
        .collect();
    let plan_trees: Vec<_> = plan_dirs
        .par_iter()
        .map(|dir| {
            dir.as_ref()
                .map(|d| terraform::loader::load_tree(d, &cache, files))
        })
        .collect();
    let configs = terraform::Configs::build(
        trees
            .iter()
            .chain(plan_trees.iter().flatten())
            .flat_map(|(dirs, _)| dirs),
    );
    let root_parts: Vec<(PathBuf, PathBuf, Part)> = root_dirs
        .par_iter()
        .zip(trees.par_iter())
        .map(|(dir, tree)| {
            (
                dir.canonical.clone(),
                dir.display.clone(),
                evaluate(dir, tree, &configs, files, inputs),
            )
        })
        .collect();
    let mut doc_parts: Vec<(usize, Part)> = job
        .plans
        .into_par_iter()
        .zip(plan_dirs.par_iter().zip(plan_trees.par_iter()))
        .map(|((i, part, plan, _), pair)| match pair {
            (Some(dir), Some(tree)) => (i, map_plan(part, &plan, dir, tree, &configs, files)),
            _ => (i, part),
        })
        .collect();
    drop(configs);
    drop((trees, plan_trees));
    doc_parts.extend(job.docs);
    let cache_errors = std::mem::take(&mut *cache.errors.lock().unwrap_or_else(|e| e.into_inner()));
    drop((scanned_dirs, plan_dirs, root_dirs));
    drop(cache);

    GroupOut {
        parse_parts: parsed.into_iter().map(|(i, _, p)| (i, p)).collect(),
        root_parts,
        doc_parts,
        called,
        cache_errors,
    }
}

/// The directories a root module loads and how its module calls resolve.
type LoadedTree = (Vec<Arc<loader::ParsedDir>>, loader::Resolver);

/// Evaluates one root module into its own part.
fn evaluate(
    dir: &Arc<loader::ParsedDir>,
    tree: &LoadedTree,
    configs: &terraform::Configs<'_>,
    files: &Files<'_>,
    inputs: &vars::VarInputs,
) -> Part {
    let mut part = Part::default();
    let anchor = dir
        .files
        .first()
        .map(|f| Span::new(f.file, 0, 0))
        .unwrap_or_default();
    let unit = part.graph.add_unit(Unit {
        kind: InputKind::TerraformModule,
        anchor,
        name: dir.display.display().to_string(),
    });
    let outcome = terraform::evaluate_root(
        dir,
        tree,
        configs,
        files,
        RootVars::Inputs(inputs),
        &mut part.graph,
        unit,
    );
    part.counts.terraform_modules = 1;
    part.errors = outcome.errors;
    part.unresolved = outcome.unresolved;
    part.notices = outcome.undeclared;
    part.module_instances = outcome.module_instances;
    part.module_dirs = outcome.dirs;
    part
}

/// Maps a plan's resources to its configuration's spans.
fn map_plan(
    mut part: Part,
    plan: &PendingPlan,
    dir: &Arc<loader::ParsedDir>,
    tree: &LoadedTree,
    configs: &terraform::Configs<'_>,
    files: &Files<'_>,
) -> Part {
    let mut config = Graph::default();
    let unit = config.add_unit(Unit {
        kind: InputKind::TerraformModule,
        anchor: Span::default(),
        name: dir.display.display().to_string(),
    });
    let values = terraform::planmap::plan_variables(&plan.root);
    let outcome = terraform::evaluate_root(
        dir,
        tree,
        configs,
        files,
        RootVars::Given(values),
        &mut config,
        unit,
    );
    terraform::planmap::map_to_source(&mut part.graph, UnitId(0), &config);
    if let Some(u) = part.graph.units.first_mut()
        && let Some(f) = dir.files.first()
    {
        u.anchor = Span::new(f.file, 0, 0);
    }
    part.counts.terraform_modules += 1;
    part.errors.extend(outcome.errors);
    part.unresolved.extend(outcome.unresolved);
    // Terraform made the plan, so it accepted every reference: evaluating the
    // configuration through the plan's values warns of none (`outcome.undeclared`).
    part.module_instances += outcome.module_instances;
    part.module_dirs.extend(outcome.dirs);
    part
}

fn document(
    sources: &SourceMap,
    path: &Path,
    kind: Candidate,
    overlay: &Overlay,
) -> (Part, Option<PendingPlan>) {
    let mut part = Part::default();
    let mut pending = None;
    let text = match read_input(overlay, path) {
        Ok(t) => t,
        Err(_) if !looks_like_iac(path) && !head_declares_iac(path) => {
            part.counts.skipped += 1;
            return (part, None);
        }
        Err(e) => {
            part.path_errors.push((path.to_path_buf(), e));
            return (part, None);
        }
    };
    // Cheap sniff before parsing: most JSON/YAML in a repository is not ours.
    let maybe_cfn = text.contains("Resources");
    let maybe_plan = kind == Candidate::Json && text.contains("format_version");
    if !maybe_cfn && !maybe_plan {
        part.counts.skipped += 1;
        return (part, None);
    }
    let text: Arc<str> = text.into();
    let id = sources.add(path.to_path_buf(), text.clone());
    let parsed = match kind {
        Candidate::Json => json::parse(id, &text),
        _ if text.trim_start().starts_with('{') => json::parse(id, &text),
        _ => yaml::parse(id, &text),
    };
    let root = match parsed {
        Ok(root) => root,
        Err(e) => {
            if declares_iac(&text) {
                part.errors.push(e);
            } else {
                part.counts.skipped += 1;
            }
            return (part, None);
        }
    };
    let anchor = Span::new(id, 0, 0);
    let name = path.display().to_string();
    if plan::is_plan(&root) {
        part.counts.plans += 1;
        let unit = part.graph.add_unit(Unit {
            kind: InputKind::TerraformPlan,
            anchor,
            name,
        });
        plan::load(&root, &mut part.graph, unit);
        pending = Some(PendingPlan {
            root,
            path: path.to_path_buf(),
        });
    } else if cloudformation::is_template(&root) {
        part.counts.cloudformation += 1;
        let unit: UnitId = part.graph.add_unit(Unit {
            kind: InputKind::CloudFormation,
            anchor,
            name,
        });
        part.errors
            .extend(cloudformation::load(&root, &mut part.graph, unit));
    } else {
        part.counts.skipped += 1;
    }
    (part, pending)
}

/// Whether a file that failed to parse was meant to be a template or plan, so that its
/// error is worth reporting (a broken `docker-compose.yml` is none of our business).
fn declares_iac(text: &str) -> bool {
    text.contains("AWSTemplateFormatVersion")
        || text.lines().any(|l| l.starts_with("Resources:"))
        || (text.contains("\"format_version\"") && text.contains("\"planned_values\""))
        || text.contains("\"Resources\"")
}

/// Whether the start of a file that could not be read whole (too large, not UTF-8) declares
/// a template or plan: then the reason is an error, never a silent skip.
fn head_declares_iac(path: &Path) -> bool {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 * 1024).read_to_end(&mut head));
    read.is_ok() && declares_iac(&String::from_utf8_lossy(&head))
}

fn looks_like_iac(path: &Path) -> bool {
    path.to_string_lossy().contains(".template")
}

/// Reads and parses every input without evaluating anything: the floor a full scan is
/// measured against (`examples/bench.rs`). Returns (files parsed, bytes read).
pub fn parse_only(inputs: &Inputs) -> (usize, u64) {
    let sources = SourceMap::default();
    let mut files: Vec<(&PathBuf, Option<Candidate>)> = inputs
        .terraform
        .values()
        .flatten()
        .map(|p| (p, None))
        .collect();
    files.extend(inputs.documents.iter().map(|(p, k)| (p, Some(*k))));
    files
        .par_iter()
        .map(|(path, kind)| {
            let Ok(text) = read(path) else {
                return (0, 0);
            };
            let len = text.len() as u64;
            let text: Arc<str> = text.into();
            let id = sources.add((*path).clone(), text.clone());
            let ok = match kind {
                None if path.to_string_lossy().ends_with(".json") => json::parse(id, &text).is_ok(),
                None => terraform::parse_file(id, &text).is_ok(),
                Some(Candidate::Json) => json::parse(id, &text).is_ok(),
                Some(_) if text.trim_start().starts_with('{') => json::parse(id, &text).is_ok(),
                Some(_) => yaml::parse(id, &text).is_ok(),
            };
            (usize::from(ok), len)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}
