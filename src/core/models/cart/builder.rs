//! scikit-learn's tree builders: depth first (left subtree before right) when
//! `max_leaf_nodes` is unset, best first (the largest impurity decrease next)
//! when it is set. Both number nodes in the order they are added, as
//! scikit-learn's `tree_` does, so node ids can be compared.

use super::criterion::Criterion;
use super::splitter::{ParentInfo, Splitter};
use super::{Node, Tree};

/// When a node stops splitting.
#[derive(Debug, Clone, Copy)]
pub(super) struct StopRules {
    pub max_depth: usize,
    /// Already at least `2 * min_samples_leaf`, as scikit-learn raises it.
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    pub min_weight_leaf: f64,
    pub min_impurity_decrease: f64,
    pub max_leaf_nodes: Option<usize>,
}

impl StopRules {
    fn is_leaf(&self, depth: usize, n_node_samples: usize, weighted: f64, impurity: f64) -> bool {
        depth >= self.max_depth
            || n_node_samples < self.min_samples_split
            || n_node_samples < 2 * self.min_samples_leaf
            || weighted < 2.0 * self.min_weight_leaf
            || impurity <= f64::EPSILON
    }
}

/// Where a node's record goes once added.
#[derive(Debug, Clone, Copy)]
struct Parent {
    id: usize,
    is_left: bool,
}

struct TreeGrower<'s, 'a, C> {
    splitter: &'s mut Splitter<'a, C>,
    rules: StopRules,
    tree: Tree,
}

/// A node that was added, with the split it would make.
#[derive(Debug, Clone, Copy)]
struct Grown {
    node_id: usize,
    start: usize,
    end: usize,
    pos: usize,
    depth: usize,
    is_leaf: bool,
    improvement: f64,
    impurity_left: f64,
    impurity_right: f64,
    n_constant_features: usize,
}

impl<C: Criterion> TreeGrower<'_, '_, C> {
    /// Adds node `samples[start..end]`, searching its split unless a stop rule applies.
    fn add(&mut self, start: usize, end: usize, depth: usize, parent: Option<Parent>, info: &mut ParentInfo) -> Grown {
        let weighted = self.splitter.node_reset(start, end);
        if parent.is_none() {
            info.impurity = self.splitter.node_impurity();
        }
        let n_node_samples = end - start;
        let mut is_leaf = self.rules.is_leaf(depth, n_node_samples, weighted, info.impurity);
        let mut split = None;
        if !is_leaf {
            let s = self.splitter.node_split(info);
            is_leaf = s.pos >= end || s.improvement + f64::EPSILON < self.rules.min_impurity_decrease;
            split = Some(s);
        }
        let node_id = self.tree.nodes.len();
        let (feature, threshold) =
            split.filter(|_| !is_leaf).map_or((None, f64::NAN), |s| (Some(s.feature), s.threshold));
        self.tree.nodes.push(Node {
            feature,
            threshold,
            left: None,
            right: None,
            impurity: info.impurity,
            n_node_samples,
            weighted_n_node_samples: weighted,
        });
        if let Some(p) = parent {
            let node = &mut self.tree.nodes[p.id];
            if p.is_left { node.left = Some(node_id) } else { node.right = Some(node_id) }
        }
        let stride = self.tree.value_stride;
        self.tree.values.resize(self.tree.values.len() + stride, 0.0);
        self.splitter.node_value(&mut self.tree.values[node_id * stride..]);
        self.tree.max_depth = self.tree.max_depth.max(depth);
        match split.filter(|_| !is_leaf) {
            Some(s) => Grown {
                node_id,
                start,
                end,
                pos: s.pos,
                depth,
                is_leaf,
                improvement: s.improvement,
                impurity_left: s.impurity_left,
                impurity_right: s.impurity_right,
                n_constant_features: info.n_constant_features,
            },
            None => Grown {
                node_id,
                start,
                end,
                pos: end,
                depth,
                is_leaf: true,
                improvement: 0.0,
                impurity_left: info.impurity,
                impurity_right: info.impurity,
                n_constant_features: info.n_constant_features,
            },
        }
    }
}

/// Grows a tree over the splitter's samples.
pub(super) fn build<C: Criterion>(splitter: &mut Splitter<C>, rules: StopRules, value_stride: usize) -> Tree {
    let n = splitter.samples.len();
    let tree = Tree { nodes: Vec::new(), values: Vec::new(), value_stride, max_depth: 0 };
    let mut grower = TreeGrower { splitter, rules, tree };
    match rules.max_leaf_nodes {
        None => depth_first(&mut grower, n),
        Some(max_leaf_nodes) => best_first(&mut grower, n, max_leaf_nodes),
    }
    grower.tree
}

struct StackRecord {
    start: usize,
    end: usize,
    depth: usize,
    parent: Option<Parent>,
    impurity: f64,
    n_constant_features: usize,
}

fn depth_first<C: Criterion>(grower: &mut TreeGrower<C>, n: usize) {
    let mut stack =
        vec![StackRecord { start: 0, end: n, depth: 0, parent: None, impurity: f64::INFINITY, n_constant_features: 0 }];
    while let Some(record) = stack.pop() {
        let mut info = ParentInfo { impurity: record.impurity, n_constant_features: record.n_constant_features };
        let grown = grower.add(record.start, record.end, record.depth, record.parent, &mut info);
        if !grown.is_leaf {
            let child = |start, end, is_left, impurity| StackRecord {
                start,
                end,
                depth: grown.depth + 1,
                parent: Some(Parent { id: grown.node_id, is_left }),
                impurity,
                n_constant_features: grown.n_constant_features,
            };
            // Right pushed first, so the left subtree is grown first.
            stack.push(child(grown.pos, grown.end, false, grown.impurity_right));
            stack.push(child(grown.start, grown.pos, true, grown.impurity_left));
        }
    }
}

fn best_first<C: Criterion>(grower: &mut TreeGrower<C>, n: usize, max_leaf_nodes: usize) {
    let mut max_split_nodes = max_leaf_nodes as isize - 1;
    let mut info = ParentInfo { impurity: f64::INFINITY, n_constant_features: 0 };
    let root = grower.add(0, n, 0, None, &mut info);
    let mut frontier = Frontier::default();
    frontier.push(root);
    while let Some(record) = frontier.pop() {
        if record.is_leaf || max_split_nodes <= 0 {
            let node = &mut grower.tree.nodes[record.node_id];
            node.feature = None;
            node.threshold = f64::NAN;
            continue;
        }
        max_split_nodes -= 1;
        let children = [
            (record.start, record.pos, true, record.impurity_left),
            (record.pos, record.end, false, record.impurity_right),
        ];
        // Both children are added before either joins the frontier, left first.
        let grown = children.map(|(start, end, is_left, impurity)| {
            // Best-first nodes do not inherit their parent's constant features.
            let mut info = ParentInfo { impurity, n_constant_features: 0 };
            let parent = Some(Parent { id: record.node_id, is_left });
            grower.add(start, end, record.depth + 1, parent, &mut info)
        });
        for child in grown {
            frontier.push(child);
        }
    }
}

/// A max-heap on improvement kept exactly as C++'s `std::push_heap` and
/// `std::pop_heap` (libstdc++) keep it, so that among equal improvements the
/// same node is expanded next as in scikit-learn.
#[derive(Default)]
struct Frontier {
    heap: Vec<Grown>,
}

impl Frontier {
    fn less(a: &Grown, b: &Grown) -> bool {
        a.improvement < b.improvement
    }

    fn push(&mut self, record: Grown) {
        self.heap.push(record);
        let hole = self.heap.len() - 1;
        self.sift_up(hole, 0, record);
    }

    /// libstdc++'s `__push_heap`: moves `value` up from `hole` towards `top`.
    fn sift_up(&mut self, mut hole: usize, top: usize, value: Grown) {
        while hole > top {
            let parent = (hole - 1) / 2;
            if !Self::less(&self.heap[parent], &value) {
                break;
            }
            self.heap[hole] = self.heap[parent];
            hole = parent;
        }
        self.heap[hole] = value;
    }

    fn pop(&mut self) -> Option<Grown> {
        let len = self.heap.len();
        if len > 1 {
            let last = len - 1;
            let value = self.heap[last];
            self.heap[last] = self.heap[0];
            self.adjust(0, last, value);
        }
        self.heap.pop()
    }

    /// libstdc++'s `__adjust_heap` over `heap[..len]`.
    fn adjust(&mut self, mut hole: usize, len: usize, value: Grown) {
        let top = hole;
        let mut second = hole;
        while len >= 2 && second < (len - 1) / 2 {
            second = 2 * (second + 1);
            if Self::less(&self.heap[second], &self.heap[second - 1]) {
                second -= 1;
            }
            self.heap[hole] = self.heap[second];
            hole = second;
        }
        if len & 1 == 0 && len >= 2 && second == (len - 2) / 2 {
            second = 2 * (second + 1);
            self.heap[hole] = self.heap[second - 1];
            hole = second - 1;
        }
        self.sift_up(hole, top, value);
    }
}
