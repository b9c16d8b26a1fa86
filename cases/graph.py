"""Lay out the ownership graph of a case as positioned boxes and arrows (drawn as SVG).

Owners stand above what they own: each subject's layer is the length of the
longest chain of ownership-like links above it. No JavaScript is needed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from cases.models import Relationship, RelationshipKind, Subject

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 190, 54, 40, 80, 20
DOWNWARD = {
    RelationshipKind.OWNS,
    RelationshipKind.BENEFICIAL_OWNER,
    RelationshipKind.DIRECTOR,
    RelationshipKind.NOMINEE,
}


@dataclass
class Node:
    subject: Subject
    x: int = 0
    y: int = 0

    @property
    def cx(self) -> int:
        return self.x + BOX_W // 2


@dataclass
class Edge:
    relationship: Relationship
    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def label(self) -> str:
        text = self.relationship.get_kind_display()
        if self.relationship.percentage is not None:
            text += f" {self.relationship.percentage.normalize():f} %"
        return str(text)

    @property
    def lx(self) -> int:
        return (self.x1 + self.x2) // 2

    @property
    def ly(self) -> int:
        return (self.y1 + self.y2) // 2


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = 0
    height: int = 0
    box_w: int = BOX_W
    box_h: int = BOX_H


def ownership_graph(subjects: list[Subject], relationships: list[Relationship]) -> Graph:
    if not subjects:
        return Graph()
    parents: dict[int, set[int]] = defaultdict(set)
    for rel in relationships:
        if rel.kind in DOWNWARD:
            parents[rel.target_id].add(rel.source_id)
    layer: dict[int, int] = {}

    def depth(pk: int, seen: frozenset[int] = frozenset()) -> int:
        if pk in layer:
            return layer[pk]
        if pk in seen:  # a cycle of ownership: cut it here
            return 0
        result = 1 + max((depth(p, seen | {pk}) for p in parents[pk]), default=-1)
        layer[pk] = result
        return result

    for subject in subjects:
        depth(subject.pk)
    rows: dict[int, list[Subject]] = defaultdict(list)
    for subject in sorted(subjects, key=lambda s: (s.kind != "natural", s.name)):
        rows[layer[subject.pk]].append(subject)
    nodes: dict[int, Node] = {}
    widest = max(len(r) for r in rows.values())
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    for row_index in sorted(rows):
        row = rows[row_index]
        row_width = len(row) * BOX_W + (len(row) - 1) * GAP_X
        start = (width - row_width) // 2
        for i, subject in enumerate(row):
            nodes[subject.pk] = Node(
                subject, start + i * (BOX_W + GAP_X), MARGIN + row_index * (BOX_H + GAP_Y)
            )
    edges = []
    for rel in relationships:
        a, b = nodes.get(rel.source_id), nodes.get(rel.target_id)
        if a is None or b is None:
            continue
        if a.y < b.y:
            edges.append(Edge(rel, a.cx, a.y + BOX_H, b.cx, b.y))
        elif a.y > b.y:
            edges.append(Edge(rel, a.cx, a.y, b.cx, b.y + BOX_H))
        else:
            left, right = (a, b) if a.x < b.x else (b, a)
            x1, x2 = left.x + BOX_W, right.x
            if left is b:
                x1, x2 = x2, x1
            edges.append(Edge(rel, x1, a.y + BOX_H // 2, x2, b.y + BOX_H // 2))
    height = MARGIN * 2 + (max(rows) + 1) * BOX_H + max(rows) * GAP_Y
    return Graph(list(nodes.values()), edges, width, height)
