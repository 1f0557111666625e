//! Strongly connected components (Tarjan, iterative so that a 10,000-task chain cannot
//! overflow the stack). Components come out sinks first; reversed, they are a topological
//! order of the graph with each cycle collapsed.

/// `edges[v]` are the nodes `v` points to. Returns the components, sinks first.
pub(crate) fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next = 0;
    // (node, how many of its edges we have followed)
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        calls.push((root, 0));
        while let Some(&mut (v, ref mut followed)) = calls.last_mut() {
            if *followed == 0 && index[v] == UNSEEN {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*followed) {
                *followed += 1;
                if index[w] == UNSEEN {
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_and_orders_the_rest() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 alone, 3 -> 3
        let edges = vec![vec![1], vec![2], vec![1, 3], vec![3], vec![]];
        let components = strongly_connected(&edges);
        let mut cycle: Vec<usize> = components.iter().find(|c| c.len() > 1).expect("a cycle").clone();
        cycle.sort();
        assert_eq!(cycle, vec![1, 2]);
        let position = |v: usize| components.iter().position(|c| c.contains(&v)).expect("placed");
        // Sinks first: 3 before {1,2} before 0.
        assert!(position(3) < position(1));
        assert!(position(1) < position(0));
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let n = 200_000;
        let edges: Vec<Vec<usize>> = (0..n).map(|v| if v + 1 < n { vec![v + 1] } else { vec![] }).collect();
        assert_eq!(strongly_connected(&edges).len(), n);
    }
}
