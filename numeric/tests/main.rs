//! Integration tests of racah-numeric (one binary; modules mirror `src/`).

mod common;
mod dispatch;
mod double_double;
mod dual;
mod fusion_block;
mod fusion_block_backward;
mod fusion_block_exact;
mod golden_e3nn;
mod kernel_golden;
mod network;
mod network_forces;
mod rotation;
mod sh;
mod sh_golden;
mod sh_gradients;
mod tensor_product;
mod wigner_d;
