//! Element symbols and atomic numbers (H … Kr).

use super::NetworkError;

const SYMBOLS: [&str; 36] = [
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl",
    "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As",
    "Se", "Br", "Kr",
];

/// The atomic number of an element symbol (case-sensitive, `"C"`, `"Cl"`), or of a decimal
/// atomic number written as text (`"6"`).
///
/// # Errors
/// [`NetworkError::UnknownElement`] naming the symbol.
///
/// # Examples
/// ```
/// use racah_numeric::network::atomic_number;
/// assert_eq!(atomic_number("C")?, 6);
/// assert_eq!(atomic_number("17")?, 17);
/// assert!(atomic_number("Xx").is_err());
/// # Ok::<(), racah_numeric::network::NetworkError>(())
/// ```
pub fn atomic_number(symbol: &str) -> Result<u32, NetworkError> {
    if let Ok(z) = symbol.parse::<u32>() {
        if (1..=118).contains(&z) {
            return Ok(z);
        }
    }
    SYMBOLS
        .iter()
        .position(|s| *s == symbol)
        .map(|i| i as u32 + 1)
        .ok_or_else(|| NetworkError::UnknownElement(symbol.to_string()))
}

/// The symbol of an atomic number (`"Z118"`-style text beyond Kr).
///
/// # Examples
/// ```
/// assert_eq!(racah_numeric::network::element_symbol(8), "O");
/// ```
pub fn element_symbol(z: u32) -> String {
    match z.checked_sub(1).and_then(|i| SYMBOLS.get(i as usize)) {
        Some(s) => (*s).to_string(),
        None => format!("Z{z}"),
    }
}
