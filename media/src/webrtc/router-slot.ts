// One mediasoup Worker (a process, one core at most) with its one Router. The Sfu places streams
// and viewers on slots by load; `viewers` counts reserved consumers, so a slot is "full" before
// its transports exist and two concurrent joins cannot both take its last place.
import type { types as ms } from 'mediasoup';

export interface ListenConfig {
  listenIp: string;
  announcedAddress?: string;
  portRange: { min: number; max: number };
}

export class RouterSlot {
  viewers = 0;
  /** pipeToRouter's transport pairs: shared by all streams between two routers, kept while both live. */
  private readonly pipeTransports = new Set<string>();

  constructor(
    readonly index: number,
    readonly worker: ms.Worker,
    readonly router: ms.Router,
    readonly capacity: number,
    private readonly listen: ListenConfig,
  ) {
    router.observer.on('newtransport', (t) => {
      if (t.type !== 'pipe') return;
      this.pipeTransports.add(t.id);
      t.observer.once('close', () => this.pipeTransports.delete(t.id));
    });
  }

  get hasRoom(): boolean {
    return !this.router.closed && this.viewers < this.capacity;
  }

  listenInfo(protocol: ms.TransportProtocol = 'udp'): ms.TransportListenInfo {
    return {
      protocol,
      ip: this.listen.listenIp,
      ...(this.listen.announcedAddress ? { announcedAddress: this.listen.announcedAddress } : {}),
      portRange: this.listen.portRange,
    };
  }

  /**
   * Stream and viewer transports the worker itself holds on this router (the ground truth for
   * leak checks); the shared pipe transports between routers are not counted.
   */
  async transportCount(): Promise<number> {
    if (this.router.closed) return 0;
    const ids = (await this.router.dump()).transportIds;
    return ids.filter((id) => !this.pipeTransports.has(id)).length;
  }

  close(): void {
    this.worker.close();
  }
}
