//! Minimal cost-complexity pruning: scikit-learn's `ccp_alpha`.
//!
//! The weakest link (the internal node whose subtree buys the least impurity
//! per extra leaf, the first such node in node order on ties) is cut again and
//! again while its cost is at most `ccp_alpha`. The pruned tree is then
//! renumbered depth first, left before right, as scikit-learn renumbers it.

use super::{Node, Tree};

/// A node of the original tree to copy: its id, its depth, and its new parent and side.
struct Visit {
    id: usize,
    depth: usize,
    parent: Option<(usize, bool)>,
}

impl Tree {
    /// The tree pruned with complexity parameter `ccp_alpha` (> 0).
    pub(super) fn pruned(&self, ccp_alpha: f64) -> Tree {
        let keep_as_leaf = self.leaves_after_pruning(ccp_alpha);
        let mut pruned = Tree { nodes: Vec::new(), values: Vec::new(), value_stride: self.value_stride, max_depth: 0 };
        let mut stack = vec![Visit { id: 0, depth: 0, parent: None }];
        while let Some(Visit { id, depth, parent }) = stack.pop() {
            let node = &self.nodes[id];
            let is_leaf = keep_as_leaf[id];
            let new_id = pruned.nodes.len();
            pruned.nodes.push(Node {
                feature: if is_leaf { None } else { node.feature },
                left: None,
                right: None,
                ..node.clone()
            });
            if let Some((p, is_left)) = parent {
                let p = &mut pruned.nodes[p];
                if is_left { p.left = Some(new_id) } else { p.right = Some(new_id) }
            }
            let stride = self.value_stride;
            pruned.values.extend_from_slice(&self.values[id * stride..(id + 1) * stride]);
            pruned.max_depth = pruned.max_depth.max(depth);
            if let (false, Some(left), Some(right)) = (is_leaf, node.left, node.right) {
                stack.push(Visit { id: right, depth: depth + 1, parent: Some((new_id, false)) });
                stack.push(Visit { id: left, depth: depth + 1, parent: Some((new_id, true)) });
            }
        }
        pruned
    }

    /// Which nodes are leaves of the pruned tree (and of its kept part only).
    fn leaves_after_pruning(&self, ccp_alpha: f64) -> Vec<bool> {
        let n = self.nodes.len();
        let total_weight = self.nodes[0].weighted_n_node_samples;
        let r_node: Vec<f64> =
            self.nodes.iter().map(|node| node.weighted_n_node_samples * node.impurity / total_weight).collect();
        let children = |i: usize| self.nodes[i].left.zip(self.nodes[i].right);
        let mut parent = vec![None; n];
        let mut is_leaf = vec![false; n];
        let mut stack = vec![0];
        while let Some(i) = stack.pop() {
            match children(i) {
                None => is_leaf[i] = true,
                Some((left, right)) => {
                    parent[left] = Some(i);
                    parent[right] = Some(i);
                    stack.push(left);
                    stack.push(right);
                }
            }
        }
        // Each subtree's impurity (summed from its leaves, in node order) and leaf count.
        let mut r_branch = vec![0.0; n];
        let mut n_leaves = vec![0usize; n];
        for leaf in (0..n).filter(|&i| is_leaf[i]) {
            r_branch[leaf] = r_node[leaf];
            let mut i = leaf;
            while let Some(p) = parent[i] {
                r_branch[p] += r_node[leaf];
                n_leaves[p] += 1;
                i = p;
            }
        }
        let mut candidate: Vec<bool> = is_leaf.iter().map(|l| !l).collect();
        let mut in_subtree = vec![true; n];
        while candidate[0] {
            let mut weakest = None;
            let mut effective_alpha = f64::MAX;
            for i in (0..n).filter(|&i| candidate[i]) {
                let alpha = (r_node[i] - r_branch[i]) / (n_leaves[i] - 1) as f64;
                if alpha < effective_alpha {
                    effective_alpha = alpha;
                    weakest = Some(i);
                }
            }
            let Some(cut) = weakest.filter(|_| effective_alpha <= ccp_alpha) else { break };
            let mut below = vec![cut];
            while let Some(i) = below.pop() {
                if !in_subtree[i] {
                    continue;
                }
                (candidate[i], is_leaf[i], in_subtree[i]) = (false, false, false);
                if let Some((left, right)) = children(i) {
                    below.push(left);
                    below.push(right);
                }
            }
            (is_leaf[cut], in_subtree[cut]) = (true, true);
            let n_pruned_leaves = n_leaves[cut] - 1;
            n_leaves[cut] = 0;
            let r_diff = r_node[cut] - r_branch[cut];
            r_branch[cut] = r_node[cut];
            let mut up = parent[cut];
            while let Some(p) = up {
                n_leaves[p] -= n_pruned_leaves;
                r_branch[p] += r_diff;
                up = parent[p];
            }
        }
        is_leaf
    }
}
