//! Probabilistically Bounded Staleness (Bailis et al., VLDB 2012).
