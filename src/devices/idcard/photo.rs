//! The card photo. The chip holds it as 1024 bytes of "WLT", a proprietary compression that only
//! licensed vendor libraries decode. The kiosk therefore loads a decoder at run time when one is
//! configured (`[plugins] wlt_decoder = "/path/libx.so"`) and otherwise shows a neutral silhouette
//! (drawn by the UI). The plug-in's C interface is ours, so that a vendor library is adapted by a
//! ten-line shim:
//!
//! ```c
//! // Decode `wlt` (1024 bytes) into 102×126 RGB (38556 bytes, row-major). 0 on success.
//! int zk_wlt_decode(const unsigned char *wlt, size_t wlt_len, unsigned char *rgb, size_t rgb_len);
//! ```

use std::path::Path;
use zeroize::Zeroizing;

/// Width of a decoded card photo.
pub const PHOTO_WIDTH: u32 = 102;
/// Height of a decoded card photo.
pub const PHOTO_HEIGHT: u32 = 126;
/// The exported symbol a plug-in must provide.
pub const SYMBOL: &[u8] = b"zk_wlt_decode";

/// A decoded photo: RGB, zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Photo {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// RGB bytes, row-major.
    pub rgb: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Photo({}x{}, redacted)", self.width, self.height)
    }
}

/// Why a photo could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The library could not be loaded or lacks the symbol.
    #[error("cannot load the WLT decoder {path}: {message}")]
    Load {
        /// The library.
        path: String,
        /// Why.
        message: String,
    },
    /// The decoder returned an error code.
    #[error("the WLT decoder failed with code {0}")]
    Decode(i32),
}

/// Decodes WLT photos.
pub trait PhotoDecoder: Send + Sync {
    /// Decode one photo.
    fn decode(&self, wlt: &[u8]) -> Result<Photo, PhotoError>;
}

type DecodeFn = unsafe extern "C" fn(*const u8, usize, *mut u8, usize) -> i32;

/// A decoder in a shared library loaded at run time.
pub struct NativeDecoder {
    // The function pointer below stays valid as long as the library is loaded.
    _lib: libloading::Library,
    func: DecodeFn,
}

impl NativeDecoder {
    /// Load the library and find `zk_wlt_decode`.
    pub fn load(path: &Path) -> Result<Self, PhotoError> {
        let err = |e: libloading::Error| PhotoError::Load {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        // SAFETY: loading a library runs its initialisers; the path comes from the kiosk's own
        // configuration, written by the technician who installed the licensed decoder.
        let lib = unsafe { libloading::Library::new(path) }.map_err(err)?;
        // SAFETY: the symbol's type is the documented plug-in interface above.
        let func = unsafe { lib.get::<DecodeFn>(SYMBOL) }.map_err(|e| PhotoError::Load {
            path: path.display().to_string(),
            message: format!("it does not export zk_wlt_decode ({e})"),
        })?;
        let func = *func;
        Ok(Self { _lib: lib, func })
    }
}

impl PhotoDecoder for NativeDecoder {
    fn decode(&self, wlt: &[u8]) -> Result<Photo, PhotoError> {
        let mut rgb = Zeroizing::new(vec![0u8; (PHOTO_WIDTH * PHOTO_HEIGHT * 3) as usize]);
        // SAFETY: both buffers are valid for the lengths passed; the plug-in must not write past
        // `rgb_len` (the documented contract).
        let code = unsafe { (self.func)(wlt.as_ptr(), wlt.len(), rgb.as_mut_ptr(), rgb.len()) };
        if code != 0 {
            return Err(PhotoError::Decode(code));
        }
        Ok(Photo {
            width: PHOTO_WIDTH,
            height: PHOTO_HEIGHT,
            rgb,
        })
    }
}

/// The configured decoder, if any: an empty path means none. A library that fails to load is
/// logged and ignored (the kiosk shows the silhouette).
pub fn load(path: &str) -> Option<Box<dyn PhotoDecoder>> {
    if path.trim().is_empty() {
        return None;
    }
    match NativeDecoder::load(Path::new(path)) {
        Ok(d) => {
            tracing::info!(library = path, "WLT photo decoder loaded");
            Some(Box::new(d))
        }
        Err(e) => {
            tracing::error!(error = %e, "WLT photo decoder not loaded; showing the silhouette");
            None
        }
    }
}
