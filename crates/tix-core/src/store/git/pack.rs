//! Writing many blobs as one packfile.

use git2::{ObjectType, Oid};

use crate::error::{Context, Error, Result};
use crate::store::Store;

/// Up to this many blobs are stored loose. They are flushed together with
/// the commit's trees, at once, where a pack costs four flushes one after
/// another; and a pack per message a mail server hands over one at a time
/// would leave thousands of packs, each one more place every read looks.
const LOOSE_AT_MOST: usize = 16;

impl Store {
    /// Stores many blobs as one packfile, without deltas: a mail import
    /// batch becomes one file in `objects/pack` rather than thousands of
    /// loose objects, each a file to create (a few are stored loose, see
    /// [`LOOSE_AT_MOST`]). Returns their ids, in order.
    pub fn write_blobs_packed(&self, blobs: &[&[u8]]) -> Result<Vec<Oid>> {
        use std::io::Write;
        if blobs.is_empty() {
            return Ok(Vec::new());
        }
        if blobs.len() <= LOOSE_AT_MOST {
            return blobs.iter().map(|b| self.write_blob("a blob", b)).collect();
        }
        let fail = |e: std::io::Error| Error::internal(format!("cannot write a packfile: {e}"));
        let odb = self
            .repo
            .odb()
            .context(|| "cannot open git's object database".into())?;
        // libgit2 flushes the pack, its index and their directory before
        // it returns, when told to as the writer is made.
        let mut writer = {
            let _flushed = crate::store::durable::LibgitFlushes::on();
            odb.packwriter()
                .context(|| "cannot write a packfile".into())?
        };
        let mut hasher = sha1_smol::Sha1::new();
        let mut emit = |bytes: &[u8], w: &mut git2::OdbPackwriter<'_>| -> Result<()> {
            hasher.update(bytes);
            w.write_all(bytes).map_err(fail)
        };
        // A pack must not hold the same object twice (two identical
        // attachments in one batch, say): the indexer rejects it.
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::with_capacity(blobs.len());
        let mut unique = Vec::new();
        for blob in blobs {
            let id = Oid::hash_object(ObjectType::Blob, blob)
                .context(|| "cannot hash an object".into())?;
            ids.push(id);
            if seen.insert(id) {
                unique.push(*blob);
            }
        }
        let count = u32::try_from(unique.len())
            .map_err(|_| Error::internal("too many objects for one pack"))?;
        let mut header = Vec::with_capacity(12);
        header.extend_from_slice(b"PACK");
        header.extend_from_slice(&2u32.to_be_bytes());
        header.extend_from_slice(&count.to_be_bytes());
        emit(&header, &mut writer)?;
        for blob in unique {
            // Object header: type 3 (blob) and the size, 4 bits then 7 per byte.
            let mut size = blob.len() as u64;
            let mut head = vec![(3u8 << 4) | (size & 0x0f) as u8];
            size >>= 4;
            while size > 0 {
                *head.last_mut().expect("not empty") |= 0x80;
                head.push((size & 0x7f) as u8);
                size >>= 7;
            }
            emit(&head, &mut writer)?;
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(blob).map_err(fail)?;
            emit(&z.finish().map_err(fail)?, &mut writer)?;
        }
        let trailer = hasher.digest().bytes();
        writer.write_all(&trailer).map_err(fail)?;
        writer
            .commit()
            .context(|| "cannot write a packfile".into())?;
        Ok(ids)
    }
}
