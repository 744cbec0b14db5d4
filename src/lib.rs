//! racah facade
