"""pair_model.py with a convention bug: the forces come out in (x, z, y) order.

An axis mix-up of this kind (e.g. between z-polar and e3nn's y-polar conventions) is invisible
to inversions, permutations and translations; `racah certify` reports it as a rotation
(and rotation-reflection) failure of the 1x1o term of `forces`, with a floor that does not shrink
with precision:

    racah certify --cmd "python3 examples/external/broken_model.py" \
        --species 1,8 --output energy=1x0e --atom-output forces=1x1o
"""

import pair_model


def energy_forces_swapped(pos, z):
    energy, forces = pair_model.energy_forces(pos, z)
    return energy, forces[..., [0, 2, 1]]


if __name__ == "__main__":
    pair_model.main(energy_forces_swapped)
